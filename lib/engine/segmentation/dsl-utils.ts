import { SegmentationError } from './segmentation.error';
import type { SegmentNode } from './segment-env';

export type DslObject = Record<string, unknown>;

/** VWO's notion of a node: a plain `[object Object]` (arrays and null are not). */
export function isPlainObject(value: unknown): value is DslObject {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/** Only the first own key of a node is looked at; `{}` has none. */
export function firstKey(node: DslObject): string | undefined {
  for (const key in node) if (Object.prototype.hasOwnProperty.call(node, key)) return key;
  return undefined;
}

export const NEVER: SegmentNode = () => false;

/** A node that fails at evaluation time, where (and only if) VWO's SDK would throw. */
export function throwing(message: string): SegmentNode {
  return () => {
    throw new SegmentationError(message);
  };
}

export function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** True if `key` appears anywhere in the DSL (object keys at any depth, through arrays too). */
export function containsKeyDeep(value: unknown, key: string, seen = new Set<unknown>()): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) return value.some((item) => containsKeyDeep(item, key, seen));
  return Object.keys(value).some((k) => k === key || containsKeyDeep((value as DslObject)[k], key, seen));
}
