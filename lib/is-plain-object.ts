/**
 * A JSON-like object: `{}` or `Object.create(null)`, not an array, a class instance or null. (The engine's
 * segment evaluator has its own, VWO's looser notion of an object node.)
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
