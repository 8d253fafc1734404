import {
  ANY_CHAR,
  CharSet,
  complement,
  DIGIT,
  EMPTY_SET,
  foldCase,
  intersects,
  isSubset,
  range,
  single,
  SPACE,
  union,
  WORD,
} from './char-set';

/**
 * Regexes come from settings and are run against request data, so a pattern that backtracks
 * catastrophically could stall the event loop. V8 has no backtracking limit, hence this static check:
 * it parses the pattern (JavaScript syntax, non-unicode mode) and rejects
 * - back-references (their matching cost cannot be bounded statically);
 * - nested variable quantifiers (star height > 1: `(a+)+`, `(.*a){20}`, `(a?b?)*`), except when every
 *   iteration must end on a separator character the rest of the body cannot match (`(\d{1,3}\.){3}`);
 * - repeated alternations whose branches can start with the same character, or can be empty (`(a|ab)*`);
 * - chains of 4+ unbounded quantifiers that can all consume the same characters (`.*a.*b.*c`, counting an
 *   unanchored start as one link): matching cost grows as n^(chain length) on a failing input.
 * Accepted patterns get an input cap: MAX_REGEX_INPUT (4 KiB) for chains up to 2 (~n^2, tens of ms at worst),
 * MAX_CUBIC_REGEX_INPUT for chains of 3 (the corpus itself uses `<(W[^>]*)(.*?)>`). Longer inputs do not match.
 */
export const MAX_REGEX_INPUT = 4096;
export const MAX_CUBIC_REGEX_INPUT = 256;

/** A quantifier with at least this maximum is treated as unbounded in the chain analysis. */
const UNBOUNDED_FROM = 32;
/** Chains of this many overlapping unbounded quantifiers (or more) are rejected. */
const MAX_CHAIN = 4;

export interface SafeRegex {
  readonly regex: RegExp;
  /** Inputs longer than this are reported as not matching, without running the regex. */
  readonly maxInput: number;
}

export type SafeRegexResult =
  | ({ kind: 'ok' } & SafeRegex)
  | { kind: 'invalid'; reason: string }
  | { kind: 'unsafe'; reason: string };

type Alternatives = RegexNode[][];
type RegexNode =
  | { t: 'chars'; set: CharSet }
  | { t: 'assert' }
  | { t: 'look'; alts: Alternatives }
  | { t: 'group'; alts: Alternatives }
  | { t: 'repeat'; min: number; max: number; body: RegexNode };

class UnsafePattern extends Error {}

/** Builds the regex if it is valid JavaScript and passes the safety analysis. */
export function compileSafeRegex(pattern: string, flags = ''): SafeRegexResult {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (error) {
    return { kind: 'invalid', reason: (error as Error).message };
  }
  const analysis = analyzeRegex(pattern, flags.includes('i'));
  if (typeof analysis === 'string') return { kind: 'unsafe', reason: analysis };
  return { kind: 'ok', regex, maxInput: analysis >= MAX_CHAIN - 1 ? MAX_CUBIC_REGEX_INPUT : MAX_REGEX_INPUT };
}

/** Why the (syntactically valid) pattern may backtrack catastrophically, or null when it is safe. */
export function unsafeRegexReason(pattern: string, ignoreCase = false): string | null {
  const analysis = analyzeRegex(pattern, ignoreCase);
  return typeof analysis === 'string' ? analysis : null;
}

/** Tests `input` with a checked regex, refusing inputs above its length cap. */
export function testCapped(safe: SafeRegex, input: string): boolean {
  return input.length <= safe.maxInput && safe.regex.test(input);
}

/** The longest quantifier chain (a cost exponent), or the reason the pattern is rejected. */
function analyzeRegex(pattern: string, ignoreCase: boolean): number | string {
  try {
    const alts = new PatternParser(pattern, ignoreCase).parse();
    checkNested(alts);
    return Math.max(...alts.map((seq) => checkChain(seq, !startsAnchored(seq), true)));
  } catch (error) {
    if (error instanceof UnsafePattern) return error.message;
    return `unsupported syntax (${(error as Error).message})`;
  }
}

// ---------------------------------------------------------------- parsing

const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
const CLASS_ESCAPES: Record<string, CharSet> = {
  d: DIGIT,
  D: complement(DIGIT),
  w: WORD,
  W: complement(WORD),
  s: SPACE,
  S: complement(SPACE),
};

class PatternParser {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Alternatives {
    const alts = this.alternatives();
    if (this.pos < this.src.length) throw new Error(`unexpected ")" at ${this.pos}`);
    return alts;
  }

  private alternatives(): Alternatives {
    const alts = [this.sequence()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): RegexNode[] {
    const items: RegexNode[] = [];
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return items;
  }

  private quantified(atom: RegexNode): RegexNode {
    const rest = this.src.slice(this.pos);
    let bounds: [number, number] | undefined;
    let length = 1;
    if (rest[0] === '*') bounds = [0, Infinity];
    else if (rest[0] === '+') bounds = [1, Infinity];
    else if (rest[0] === '?') bounds = [0, 1];
    else {
      const braces = /^\{(\d+)(,(\d*))?\}/.exec(rest);
      if (braces) {
        const min = Number(braces[1]);
        bounds = [min, braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3])];
        length = braces[0].length;
      }
    }
    if (!bounds) return atom;
    this.pos += length;
    if (this.src[this.pos] === '?') this.pos++; // laziness does not change the worst case
    return { t: 'repeat', min: bounds[0], max: bounds[1], body: atom };
  }

  private atom(): RegexNode {
    const c = this.src[this.pos++];
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.chars(this.characterClass());
      case '.':
        return { t: 'chars', set: ANY_CHAR };
      case '^':
      case '$':
        return { t: 'assert' };
      case '\\':
        return this.escape();
      default:
        return this.chars(single(c.charCodeAt(0)));
    }
  }

  private chars(set: CharSet): RegexNode {
    return { t: 'chars', set: this.ignoreCase ? foldCase(set) : set };
  }

  private group(): RegexNode {
    const rest = this.src.slice(this.pos);
    const look = /^\?(=|!|<=|<!)/.exec(rest);
    const named = /^\?<[^>]+>/.exec(rest);
    const prefix = look ? look[0] : named ? named[0] : rest.startsWith('?:') ? '?:' : '';
    this.pos += prefix.length;
    const alts = this.alternatives();
    if (this.src[this.pos++] !== ')') throw new Error('unterminated group');
    return { t: look ? 'look' : 'group', alts };
  }

  private escape(): RegexNode {
    const c = this.src[this.pos++];
    if (c === undefined) throw new Error('trailing backslash');
    if (c === 'b' || c === 'B') return { t: 'assert' };
    if (/[1-9]/.test(c) || (c === 'k' && this.src[this.pos] === '<')) throw new UnsafePattern('back-reference');
    const set = CLASS_ESCAPES[c];
    return this.chars(set ?? single(this.escapedUnit(c)));
  }

  /** Code unit of a single-character escape whose letter `c` was just consumed. */
  private escapedUnit(c: string): number {
    if (c in CONTROL_ESCAPES) return CONTROL_ESCAPES[c];
    const hex = c === 'x' ? /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.pos)) : c === 'u' ? /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.pos)) : null;
    if (hex) {
      this.pos += hex[0].length;
      return parseInt(hex[0], 16);
    }
    if (/[0-7]/.test(c)) {
      const octal = /^[0-7]{0,2}/.exec(this.src.slice(this.pos))![0];
      this.pos += octal.length;
      return parseInt(c + octal, 8);
    }
    if (c === 'c' && /^[A-Za-z]/.test(this.src.slice(this.pos))) return this.src.charCodeAt(this.pos++) % 32;
    return c.charCodeAt(0);
  }

  private characterClass(): CharSet {
    const negated = this.src[this.pos] === '^';
    if (negated) this.pos++;
    const parts: CharSet[] = [];
    while (this.src[this.pos] !== ']') {
      if (this.pos >= this.src.length) throw new Error('unterminated class');
      const lo = this.classAtom();
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.pos + 1 < this.src.length) {
        this.pos++;
        const hi = this.classAtom();
        parts.push(typeof lo === 'number' && typeof hi === 'number' ? range(lo, hi) : union(unitSet(lo), unitSet(hi), single(0x2d)));
      } else {
        parts.push(unitSet(lo));
      }
    }
    this.pos++;
    const set = union(...parts);
    return negated ? complement(set) : set;
  }

  /** A class member: one code unit, or a set for `\d`-style escapes. */
  private classAtom(): number | CharSet {
    const c = this.src[this.pos++];
    if (c !== '\\') return c.charCodeAt(0);
    const e = this.src[this.pos++];
    if (e === undefined) throw new Error('trailing backslash');
    if (e === 'b') return 8;
    if (e in CLASS_ESCAPES) return CLASS_ESCAPES[e];
    return this.escapedUnit(e);
  }
}

function unitSet(atom: number | CharSet): CharSet {
  return typeof atom === 'number' ? single(atom) : atom;
}

// ---------------------------------------------------------------- analysis

/** Every character a node can consume (`first` false), or those it can start with (`first` true). */
function consumable(node: RegexNode, first: boolean): CharSet {
  switch (node.t) {
    case 'chars':
      return node.set;
    case 'assert':
    case 'look':
      return EMPTY_SET;
    case 'group':
      return first ? union(...node.alts.map(firstOfSequence)) : union(...node.alts.flat().map(charsOf));
    case 'repeat':
      return !first && node.max === 0 ? EMPTY_SET : consumable(node.body, first);
  }
}

function charsOf(node: RegexNode): CharSet {
  return consumable(node, false);
}

function firstOf(node: RegexNode): CharSet {
  return consumable(node, true);
}

function nullable(node: RegexNode): boolean {
  switch (node.t) {
    case 'chars':
      return false;
    case 'assert':
    case 'look':
      return true;
    case 'group':
      return node.alts.some((seq) => seq.every(nullable));
    case 'repeat':
      return node.min === 0 || nullable(node.body);
  }
}

function firstOfSequence(seq: readonly RegexNode[]): CharSet {
  const sets: CharSet[] = [];
  for (const item of seq) {
    sets.push(firstOf(item));
    if (!nullable(item)) break;
  }
  return union(...sets);
}

function children(node: RegexNode): RegexNode[] {
  if (node.t === 'group' || node.t === 'look') return node.alts.flat();
  return node.t === 'repeat' ? [node.body] : [];
}

function someNode(nodes: readonly RegexNode[], test: (node: RegexNode) => boolean): boolean {
  return nodes.some((node) => test(node) || someNode(children(node), test));
}

const isVariableRepeat = (node: RegexNode): boolean => node.t === 'repeat' && node.min !== node.max;

/** Star height and repeated ambiguous alternation, checked on every repeating quantifier. */
function checkNested(alts: Alternatives): void {
  const visit = (node: RegexNode): void => {
    if (node.t === 'repeat' && node.max > 1) {
      if (someNode(children(node), isVariableRepeat) && !endsOnSeparator(node.body)) {
        throw new UnsafePattern('nested quantifiers');
      }
      if (someNode([node.body], isAmbiguousAlternation)) throw new UnsafePattern('repeated overlapping alternation');
    }
    children(node).forEach(visit);
  };
  alts.flat().forEach(visit);
}

/** `(\d{1,3}\.)`: each iteration must end on a character nothing else in the body can match. */
function endsOnSeparator(body: RegexNode): boolean {
  if (body.t !== 'group' || body.alts.length !== 1) return false;
  const seq = body.alts[0];
  const last = seq[seq.length - 1];
  if (last === undefined || last.t !== 'chars') return false;
  return !intersects(union(...seq.slice(0, -1).map(charsOf)), last.set);
}

function isAmbiguousAlternation(node: RegexNode): boolean {
  if ((node.t !== 'group' && node.t !== 'look') || node.alts.length < 2) return false;
  if (node.alts.some((seq) => seq.every(nullable))) return true;
  const firsts = node.alts.map(firstOfSequence);
  return firsts.some((a, i) => firsts.slice(i + 1).some((b) => intersects(a, b)));
}

function startsAnchored(seq: readonly RegexNode[]): boolean {
  const first = seq[0];
  if (first === undefined) return false;
  if (first.t === 'assert') return true; // `^`, or `\b`/`$` that cannot restart everywhere either way
  return first.t === 'group' && first.alts.every(startsAnchored);
}

/** Single-branch plain groups are transparent for the chain analysis. */
function flatten(seq: readonly RegexNode[]): RegexNode[] {
  return seq.flatMap((item) => (item.t === 'group' && item.alts.length === 1 ? flatten(item.alts[0]) : [item]));
}

const isUnbounded = (node: RegexNode): boolean => node.t === 'repeat' && node.max >= UNBOUNDED_FROM;

/**
 * Longest chain of unbounded quantifiers where each can consume what the next one consumes, with only
 * characters it also accepts in between: matching cost is about n^(chain length) on a failing input.
 * The last item of a top-level branch is exempt (nothing after it can fail and force a retry).
 */
function checkChain(seq: readonly RegexNode[], unanchored: boolean, topLevel: boolean): number {
  const items = flatten(seq);
  let open: Array<{ set: CharSet; length: number }> = unanchored ? [{ set: ANY_CHAR, length: 1 }] : [];
  let longest = open.length;
  items.forEach((item, index) => {
    const inner = item.t === 'repeat' ? [[item.body]] : item.t === 'group' || item.t === 'look' ? item.alts : [];
    longest = Math.max(longest, ...inner.map((alt) => checkChain(alt, false, false)));
    if (item.t === 'assert' || item.t === 'look') return;
    const set = charsOf(item);
    const counted = (isUnbounded(item) || someNode(children(item), isUnbounded)) && !(topLevel && index === items.length - 1);
    let length = 0;
    if (counted) {
      length = 1 + Math.max(0, ...open.filter((link) => intersects(link.set, set)).map((link) => link.length));
      if (length >= MAX_CHAIN) throw new UnsafePattern('overlapping unbounded quantifiers (polynomial backtracking)');
      longest = Math.max(longest, length);
    }
    open = open.filter((link) => isSubset(set, link.set));
    if (counted) open.push({ set, length });
  });
  return longest;
}
