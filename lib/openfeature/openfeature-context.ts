import type { EvaluationContext } from '@openfeature/server-sdk';
import type { VWOUserContext } from '../engine/types';

/** Context attributes that map to VWO user fields; every other attribute becomes a custom variable. */
const USER_FIELDS = ['userAgent', 'ipAddress', 'bucketingSeed'] as const;

/**
 * The VWO user of an OpenFeature evaluation context: `targetingKey` is the user id, `userAgent`,
 * `ipAddress` and `bucketingSeed` keep their meaning, the rest are custom variables for segmentation.
 * Undefined without a targeting key.
 */
export function toVWOUserContext(context: EvaluationContext): VWOUserContext | undefined {
  const { targetingKey, ...attributes } = context;
  if (typeof targetingKey !== 'string' || targetingKey === '') return undefined;
  const user: VWOUserContext = { id: targetingKey };
  const customVariables: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if ((USER_FIELDS as readonly string[]).includes(key) && typeof value === 'string') {
      user[key as (typeof USER_FIELDS)[number]] = value;
    } else {
      customVariables[key] = value instanceof Date ? value.toISOString() : value;
    }
  }
  if (Object.keys(customVariables).length > 0) user.customVariables = customVariables;
  return user;
}
