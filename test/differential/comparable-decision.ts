/**
 * The part of a getFlag result both implementations expose, in one shape so they can be compared:
 * whether the flag is on, which campaigns and variation served it, its variables in order, the impressions
 * it sent, the storage writes it made and the whole decision given to the integrations callback.
 */
import type { Flag } from '../../lib/engine';
import type { Decision } from '../../lib/engine/types';
import type { OfficialFlagResult, OfflineRequest } from '../../bench/support/official-sdk';

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
  /** `vwo_variationShown` events as "campaignId:variationId", sorted (so counts per pair compare too). */
  impressions: string[];
  /** Storage writes, in the fields both write (see comparableWrite), sorted. */
  writes: string[];
  /** The integrations callback's decision as JSON, keys in order (see comparablePayload); null when not called. */
  payload: string | null;
}

/** Keys of the callback's decision that 1.35 does not have: it has no holdouts (docs/decisions.md). */
const PAYLOAD_KEYS_1_35_LACKS = new Set(['holdoutIDs', 'isPartOfHoldout', 'isHoldoutPresent', 'isUserPartOfCampaign']);

/**
 * Our callback decision as 1.35 builds it: without the keys it lacks, and with its name for the user-list key
 * (`_vwoUserId`; docs/decisions.md names it `_wingifyUserId`). Key order is kept: callbacks see it.
 */
function comparablePayload(integration: object | undefined): string | null {
  if (!integration) return null;
  return JSON.stringify(integration, (key, value: unknown) => (PAYLOAD_KEYS_1_35_LACKS.has(key) ? undefined : value)).replace(/"_wingifyUserId":/g, '"_vwoUserId":');
}

/** The fields of a stored record both implementations write the same way. */
const WRITTEN_FIELDS = ['featureKey', 'userId', 'rolloutId', 'rolloutKey', 'rolloutVariationId', 'experimentId', 'experimentKey', 'experimentVariationId'];

/**
 * A write reduced to what 1.35 writes too: it stores no `featureId` and no holdout lists (the spec adds them,
 * docs/decisions.md; the generator makes no holdouts), and absent fields are `undefined` on both sides.
 */
function comparableWrite(record: Record<string, unknown>): string {
  const fields: Record<string, unknown> = {};
  for (const field of WRITTEN_FIELDS) if (record[field] !== undefined) fields[field] = field === 'userId' ? String(record[field]) : record[field];
  return JSON.stringify(fields);
}

function impressionOf(campaignId: unknown, variationId: unknown): string {
  return `${String(campaignId)}:${String(variationId)}`;
}

function officialImpressions(sent: readonly OfflineRequest[]): string[] {
  return sent
    .filter((r) => r.eventName === 'vwo_variationShown')
    .map((r) => {
      const props = (r.body as { d: { event: { props: { id: unknown; variation: unknown } } } }).d.event.props;
      return impressionOf(props.id, props.variation);
    })
    .sort();
}

function toVariable(v: Record<string, unknown>): ComparableVariable {
  return { id: v.id, key: v.key, type: v.type, value: v.value };
}

export function fromOfficial(result: OfficialFlagResult, writes: ReadonlyArray<Record<string, unknown>> = []): ComparableDecision {
  const enabled = result.flag.isEnabled();
  const integration = result.integration ?? {};
  return {
    enabled,
    served: enabled
      ? { rolloutId: integration.rolloutId, experimentId: integration.experimentId, variationId: result.variationId }
      : null,
    variables: result.flag.getVariables().map(toVariable),
    impressions: officialImpressions(result.sent),
    writes: writes.map(comparableWrite).sort(),
    payload: result.integration ? JSON.stringify(result.integration) : null,
  };
}

/**
 * Our decision in the same shape, leaving out what 1.35 does not do (listed in differential.spec.ts): the
 * record of a disabled decision (docs/events.md writes one without featureId, never reused; 1.35 writes nothing).
 * Without storage nothing is written, whatever the decision asks for.
 */
export function fromOurs(flag: Flag, withStorage = false): ComparableDecision {
  const decision: Decision = flag.decision;
  const enabled = flag.isEnabled();
  return {
    enabled,
    served: enabled ? servedBy(decision) : null,
    variables: flag.getVariables().map((v) => toVariable({ ...v })),
    impressions: decision.impressions.map((i) => impressionOf(i.campaignId, i.variationId)).sort(),
    writes: withStorage
      ? decision.writes
          .filter((w) => enabled || w.featureKey !== decision.featureKey)
          .map((w) => comparableWrite(w))
          .sort()
      : [],
    payload: comparablePayload(decision.integration),
  };
}

/**
 * The served campaigns as both report them to the integrations callback: a stored experiment skips the
 * callback, and a stored rollout's ids reach it only when an experiment passes by traffic (docs/events.md). The
 * served variation's variables, tagged per campaign and variation, still tell which campaign served.
 */
function servedBy(decision: Decision): ComparableDecision['served'] {
  const integration = decision.integration ?? {};
  return { rolloutId: integration.rolloutId, experimentId: integration.experimentId, variationId: decision.variationId };
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

/**
 * Whether our decision and the official one agree. A decision that ended in an error is compared without its
 * impressions: it drops those made before the error, which were still queued (docs/events.md), while 1.35, sending
 * each at once (unbatched), had sent them.
 */
export function sameDecision(ours: ComparableDecision, official: ComparableDecision, ourReason?: string): boolean {
  if (ourReason === 'ERROR') return sameValue({ ...ours, impressions: [] }, { ...official, impressions: [] });
  return sameValue(ours, official);
}
