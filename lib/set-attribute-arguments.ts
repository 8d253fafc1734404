import type { VWOUserContext } from './engine/types';

/** Values `setAttribute` accepts (VWO's visitor attributes). */
export type VWOAttributeValue = string | number | boolean;

/** `setAttribute(key, value, context?)` and `setAttribute(map, context?)`, reduced to one shape. */
export function parseSetAttributeArguments(
  keyOrMap: string | Record<string, VWOAttributeValue>,
  valueOrContext?: VWOAttributeValue | VWOUserContext,
  maybeContext?: VWOUserContext,
): { attributes: Record<string, VWOAttributeValue>; context: VWOUserContext | undefined } {
  if (typeof keyOrMap === 'string') return { attributes: { [keyOrMap]: valueOrContext as VWOAttributeValue }, context: maybeContext };
  return { attributes: keyOrMap, context: valueOrContext as VWOUserContext | undefined };
}
