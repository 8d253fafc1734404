/**
 * The analysis of the regex safety check, over the parsed pattern: nested variable quantifiers, repeated ambiguous
 * alternations, and chains of unbounded quantifiers that can consume the same characters.
 */
import { ANY_CHAR, CharSet, EMPTY_SET, intersects, isSubset, union } from './char-set';
import { UnsafePattern, type Alternatives, type RegexNode } from './regex-pattern';

/** A quantifier with at least this maximum is treated as unbounded in the chain analysis. */
const UNBOUNDED_FROM = 32;
/** Chains of this many overlapping unbounded quantifiers (or more) are rejected. */
export const MAX_CHAIN = 4;

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
export function checkNested(alts: Alternatives): void {
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

export function startsAnchored(seq: readonly RegexNode[]): boolean {
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
export function checkChain(seq: readonly RegexNode[], unanchored: boolean, topLevel: boolean): number {
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
