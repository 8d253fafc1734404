import { checkChain, checkNested, MAX_CHAIN, startsAnchored } from './regex-analysis';
import { PatternParser, UnsafePattern } from './regex-pattern';

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

export interface SafeRegex {
  readonly regex: RegExp;
  /** Inputs longer than this are reported as not matching, without running the regex. */
  readonly maxInput: number;
}

export type SafeRegexResult =
  | ({ kind: 'ok' } & SafeRegex)
  | { kind: 'invalid'; reason: string }
  | { kind: 'unsafe'; reason: string };

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
