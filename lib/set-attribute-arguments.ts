import type { VWOUserContext } from './engine/types';

/** Values `setAttribute` accepts (VWO's visitor attributes). */
export type VWOAttributeValue = string | number | boolean;

export interface SetAttributeCall {
  attributes: Record<string, VWOAttributeValue>;
  /** undefined: the current request's user. */
  context: VWOUserContext | undefined;
  /** Why nothing can be sent, when the arguments are not a shape VWO accepts. */
  problem?: string;
}

/**
 * Reduces every call shape VWO's SDK accepts to one:
 * - `(key, value, context)`;
 * - `(map, context)`, and `(map, anything, context)`: a truthy third argument is the context, else the second
 *   is (so `(map, undefined, context)` works, as it does with VWO).
 * The context may also be left out altogether (`(key, value)`, `(map)`): then the current request's user is used.
 */
export function parseSetAttributeArguments(keyOrMap: unknown, valueOrContext?: unknown, maybeContext?: unknown): SetAttributeCall {
  if (isObjectMap(keyOrMap)) {
    const context = (maybeContext || valueOrContext || undefined) as VWOUserContext | undefined;
    const attributes = keyOrMap as Record<string, VWOAttributeValue>;
    return { attributes, context, problem: attributesProblem(attributes) };
  }
  const context = maybeContext as VWOUserContext | undefined;
  if (typeof keyOrMap !== 'string') {
    return { attributes: {}, context, problem: 'the first argument must be an attribute name or a map of attributes' };
  }
  const attributes = { [keyOrMap]: valueOrContext as VWOAttributeValue };
  return { attributes, context, problem: attributesProblem(attributes) };
}

/** What VWO's SDK takes as an attribute map: an object whose tag is Object (not an array, Map or Date). */
function isObjectMap(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

function attributesProblem(attributes: Record<string, unknown>): string | undefined {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return 'no attributes given';
  const bad = entries.find(([, v]) => typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean');
  return bad ? `attribute "${bad[0]}" must be a string, number or boolean` : undefined;
}
