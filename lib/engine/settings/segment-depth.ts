import { SettingsValidationError } from '../errors';

/**
 * How deep a segment tree may nest, in levels of JSON (each object and array counts). The evaluator recurses once per level, and runs inside whatever call
 * stack the app has (guards, interceptors, ORMs): past about a thousand levels it overflows. Real segments
 * nest a handful of levels; this leaves a wide margin on both sides.
 */
export const MAX_SEGMENT_DEPTH = 100;

/** Segment trees sit at most this deep in a document (`campaigns[i].variations[j].segments`). */
const SEGMENTS_KEY_MAX_DEPTH = 5;

/** Values visited between two pauses of a stepped check. */
const VISITS_PER_STEP = 4096;

interface Visit {
  value: unknown;
  key: string;
  parent?: Visit;
  /** Levels from the root outside segment trees; levels below the `segments` key inside one. */
  depth: number;
  inSegment: boolean;
}

/**
 * Throws SettingsValidationError when a segment tree (the value of a `segments` key) nests deeper than
 * MAX_SEGMENT_DEPTH, naming its path and the limit. Iterative, so the check itself cannot overflow the
 * stack; it skips variable values and other data that holds no segments. Yields every few thousand values,
 * so a large document can be checked in slices.
 */
export function* segmentDepthSteps(doc: unknown): Generator<void, void> {
  let visits = 0;
  const stack: Visit[] = [{ value: doc, key: '', depth: 0, inSegment: false }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    if (++visits % VISITS_PER_STEP === 0) yield;
    const { value, depth, inSegment } = visit;
    if (typeof value !== 'object' || value === null) continue;
    if (inSegment && depth > MAX_SEGMENT_DEPTH) {
      throw new SettingsValidationError(pathOf(visit), `segments nested at most ${MAX_SEGMENT_DEPTH} levels deep`, `segments nested deeper than ${MAX_SEGMENT_DEPTH} levels`);
    }
    const keys = Object.keys(value);
    for (const key of keys) {
      const child = (value as Record<string, unknown>)[key];
      if (inSegment) stack.push({ value: child, key, parent: visit, depth: depth + 1, inSegment });
      else if (key === 'segments') stack.push({ value: child, key, parent: visit, depth: 0, inSegment: true });
      else if (depth < SEGMENTS_KEY_MAX_DEPTH) stack.push({ value: child, key, parent: visit, depth: depth + 1, inSegment });
    }
  }
}

function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let v: Visit | undefined = visit; v?.parent; v = v.parent) keys.push(v.key);
  return keys.reverse().reduce((path, key) => (/^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key), '');
}
