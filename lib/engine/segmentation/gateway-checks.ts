import type { GatewayUserData } from '../types';
import { compileSafeRegex, SafeRegex, testCapped } from './safe-regex';
import { SegmentationError } from './segmentation.error';
import type { CompileContext, SegmentEnv } from './segment-env';

/** Location keys as they appear in `and` children, in the order VWO copies them. */
export const LOCATION_KEYS = ['country', 'region', 'city'] as const;
/** Parsed-UA keys as they appear in `or` children. */
export const UA_PARSER_KEYS: ReadonlySet<string> = new Set(['os', 'browser_string', 'device_type', 'device']);

type EnvCheck = (env: SegmentEnv) => boolean;

/** String(v) without one leading and one trailing `"`, trimmed; null/undefined stay null. */
function normaliseLocation(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value).replace(/^"|"$/g, '').trim();
}

/** docs/segmentation.md: every expected key must be in the user's location with an equal (case-sensitive) value. */
export function compileLocationCheck(expected: Record<string, unknown>): EnvCheck {
  const entries = Object.entries(expected).map(([key, value]) => [key, normaliseLocation(value)] as const);
  return (env) => {
    // VWO requires an IP on servers even when the location is supplied by the caller.
    if (env.ipAddress === undefined) return false;
    const location = env.gateway?.location;
    if (!location) return false;
    return entries.every(([key, value]) => key in location && normaliseLocation(location[key]) === value);
  };
}

type Wildcard = SafeRegex | 'invalid' | 'unsafe';

interface UaExpectation {
  values: readonly string[];
  wildcards: readonly Wildcard[];
}

/**
 * docs/segmentation.md: for each key of the user's parsed UA that the `or` names, a `wildcard(p)` value is a
 * case-insensitive unanchored regex (`*` ⇒ `.*`), any other value a lower-cased equality.
 * Throws where VWO's SDK throws (invalid wildcard regex, non-string actual value); the `or` catches that.
 */
export function compileUaParserCheck(expected: ReadonlyMap<string, readonly string[]>, ctx: CompileContext): EnvCheck {
  const byKey = new Map<string, UaExpectation>();
  for (const [key, raw] of expected) {
    const values = raw.map((value) => value.toLowerCase());
    const wildcards = values.filter((v) => v.startsWith('wildcard(') && v.endsWith(')')).map((v) => compileWildcard(v, ctx));
    byKey.set(key, { values, wildcards });
  }
  return (env) => {
    if (!env.userAgent) return false;
    const actualMap: GatewayUserData['userAgent'] = env.gateway?.userAgent;
    if (!actualMap) return false;
    for (const key in actualMap) {
      const expectation = byKey.get(key);
      if (expectation && matchesUaValue(expectation, actualMap[key])) return true;
    }
    return false;
  };
}

function compileWildcard(value: string, ctx: CompileContext): Wildcard {
  const pattern = value.slice('wildcard('.length, -1).replace(/\*/g, '.*');
  const compiled = compileSafeRegex(pattern, 'i');
  if (compiled.kind === 'ok') return compiled;
  if (compiled.kind === 'unsafe') ctx.warn(`UA wildcard ${JSON.stringify(value)} is unsafe (${compiled.reason}); it never matches`);
  return compiled.kind;
}

function matchesUaValue(expectation: UaExpectation, actual: unknown): boolean {
  for (const wildcard of expectation.wildcards) {
    if (wildcard === 'invalid') throw new SegmentationError('invalid UA wildcard pattern');
    if (wildcard !== 'unsafe' && testCapped(wildcard, String(actual))) return true;
  }
  if (actual === null || actual === undefined) return false;
  if (typeof actual !== 'string') throw new SegmentationError(`parsed user agent value is ${typeof actual}, not a string`);
  return expectation.values.includes(actual.toLowerCase());
}
