/**
 * The part of a getFlag result both implementations expose, in one shape so they can be compared:
 * whether the flag is on, which campaigns and variation served it, and its variables in order.
 */
import type { Flag } from '../../lib/engine';
import type { OfficialFlagResult } from '../../bench/support/official-sdk';

export interface ComparableVariable {
  id: unknown;
  key: unknown;
  type: unknown;
  value: unknown;
}

export interface ComparableDecision {
  enabled: boolean;
  /** null when disabled (a disabled flag serves nothing, whatever was evaluated on the way). */
  served: { rolloutId: unknown; experimentId: unknown; variationId: unknown } | null;
  variables: ComparableVariable[];
}

function toVariable(v: Record<string, unknown>): ComparableVariable {
  return { id: v.id, key: v.key, type: v.type, value: v.value };
}

export function fromOfficial(result: OfficialFlagResult): ComparableDecision {
  const enabled = result.flag.isEnabled();
  const integration = result.integration ?? {};
  return {
    enabled,
    served: enabled
      ? { rolloutId: integration.rolloutId, experimentId: integration.experimentId, variationId: result.variationId }
      : null,
    variables: result.flag.getVariables().map(toVariable),
  };
}

export function fromOurs(flag: Flag): ComparableDecision {
  const { rollout, experiment } = flag.decision;
  const enabled = flag.isEnabled();
  return {
    enabled,
    served: enabled
      ? { rolloutId: rollout?.id, experimentId: experiment?.id, variationId: experiment?.variationId ?? rollout?.variationId }
      : null,
    variables: flag.getVariables().map((v) => toVariable({ ...v })),
  };
}

/**
 * Structural equality of JSON-like values, ignoring prototypes: under jest the two sides' objects may come
 * from different realms (structuredClone builds outer-realm objects), which util.isDeepStrictEqual rejects.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameValue(recordA[key], recordB[key]));
}

export function sameDecision(a: ComparableDecision, b: ComparableDecision): boolean {
  return sameValue(a, b);
}
