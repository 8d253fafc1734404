/**
 * The parser of the regex safety check: a JavaScript pattern (non-unicode mode) as a tree of the parts that matter
 * for backtracking (character sets, assertions, groups, quantifiers). Back-references are refused while parsing.
 */
import { ANY_CHAR, CharSet, complement, DIGIT, foldCase, range, single, SPACE, union, WORD } from './char-set';

export type Alternatives = RegexNode[][];
export type RegexNode =
  | { t: 'chars'; set: CharSet }
  | { t: 'assert' }
  | { t: 'look'; alts: Alternatives }
  | { t: 'group'; alts: Alternatives }
  | { t: 'repeat'; min: number; max: number; body: RegexNode };

/** Thrown (by the parser and the analysis) with the reason a pattern is refused. */
export class UnsafePattern extends Error {}

const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
const CLASS_ESCAPES: Record<string, CharSet> = {
  d: DIGIT,
  D: complement(DIGIT),
  w: WORD,
  W: complement(WORD),
  s: SPACE,
  S: complement(SPACE),
};

export class PatternParser {
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
