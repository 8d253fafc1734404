/**
 * How OpenFeature flag keys name VWO flags: `feature` is the flag itself (a boolean: isEnabled), and
 * `feature.variable` one of its variables (any type). VWO keys contain no dots, so the first dot splits.
 */
export interface VWOFlagTarget {
  featureKey: string;
  variableKey?: string;
}

export const VARIABLE_SEPARATOR = '.';

export function parseFlagKey(flagKey: string): VWOFlagTarget {
  const at = flagKey.indexOf(VARIABLE_SEPARATOR);
  if (at < 0) return { featureKey: flagKey };
  return { featureKey: flagKey.slice(0, at), variableKey: flagKey.slice(at + VARIABLE_SEPARATOR.length) };
}
