/** Holdouts (docs/decisions.md): users kept out of a feature's rules, and the impressions that say so. */
import { TRAFFIC_SCALE, bucketValueJoined } from '../bucketing';
import { HOLDOUT_VARIATION_IN, HOLDOUT_VARIATION_NOT_IN } from '../constants';
import type { CFeature, CHoldout } from '../settings/model';
import type { Decision, StoredRecord } from '../types';
import type { DecisionOutcome } from './decision-outcome';
import type { DecisionState } from './decision-state';
import { addHoldouts } from './integration-payload';
import { decisionOf } from './result';
import { storedRecord } from './stored-record';

export interface HoldoutMatch {
  matched: CHoldout[];
  notMatched: CHoldout[];
  /** Every newly evaluated holdout with its impression variation (1 = in, 2 = not in), in order. */
  evaluated: Array<[CHoldout, number]>;
}

const NO_HOLDOUTS: HoldoutMatch = Object.freeze({ matched: [], notMatched: [], evaluated: [] }) as HoldoutMatch;
const NO_STORED_HOLDOUTS: readonly unknown[] = Object.freeze([]);

/**
 * The holdout step of a decision not served from storage: a user in one of the feature's holdouts gets the flag
 * off (the decision returned); otherwise the holdouts the user is not in are noted for the stored record.
 */
export function holdoutDecision(state: DecisionState, feature: CFeature, stored: StoredRecord | null, outcome: DecisionOutcome): Decision | undefined {
  const r = matchHoldouts(state, feature, stored);
  const payload = state.payload;
  if (payload) {
    payload.isPartOfHoldout = r.matched.length > 0;
    if (r.matched.length > 0 || r.notMatched.length > 0) payload.isHoldoutPresent = true;
  }
  if (r.matched.length > 0) {
    const ids = idsOf(r.matched)!;
    state.write(storedRecord({ featureKey: state.featureKey, userId: state.userId, isInHoldoutId: ids, notInHoldoutId: idsOf(r.notMatched) }));
    if (payload) addHoldouts(payload, ids);
    // VWO sends these even in dev mode.
    holdoutImpressions(state, r.evaluated, true);
    return decisionOf(state, { enabled: false, variation: null, reason: 'HOLDOUT', feature, integration: payload });
  }
  for (const h of r.notMatched) outcome.notInHoldoutIds.push(h.id);
  holdoutImpressions(state, r.evaluated, false);
  return undefined;
}

/** VWO's getMatchedHoldouts: evaluates the feature's holdouts not yet recorded in `stored`. */
export function matchHoldouts(state: DecisionState, feature: CFeature, stored: StoredRecord | null): HoldoutMatch {
  const holdouts = feature.holdouts;
  // VWO spreads both stored lists first (a malformed record throws even without holdouts).
  const already: readonly unknown[] = stored
    ? [...((stored.isInHoldoutId ?? []) as Iterable<unknown>), ...((stored.notInHoldoutId ?? []) as Iterable<unknown>)]
    : NO_STORED_HOLDOUTS;
  if (holdouts.length === 0) return NO_HOLDOUTS;
  const result: HoldoutMatch = { matched: [], notMatched: [], evaluated: [] };
  for (let i = 0; i < holdouts.length; i++) {
    const h = holdouts[i];
    if (already.includes(h.id)) continue;
    let segmentPass = true;
    if (h.segments.hasKeys) segmentPass = !!h.segments.evaluate(state.customVariables, state.env());
    let variation: number;
    if (!segmentPass) {
      variation = HOLDOUT_VARIATION_NOT_IN;
      result.notMatched.push(h);
    } else {
      const b = bucketValueJoined(h.keyPrefix, state.userId, TRAFFIC_SCALE);
      const isIn = b !== 0 && b <= (h.percentTraffic as number);
      variation = isIn ? HOLDOUT_VARIATION_IN : HOLDOUT_VARIATION_NOT_IN;
      (isIn ? result.matched : result.notMatched).push(h);
    }
    result.evaluated.push([h, variation]);
  }
  return result;
}

/** VWO's sendNetworkCallsForNotInHoldouts: holdouts added after a stored decision count as "not in". */
export function registerNewHoldouts(state: DecisionState, feature: CFeature, stored: StoredRecord | null): unknown[] {
  const holdouts = feature.holdouts;
  const notIn: unknown[] = [...((stored?.notInHoldoutId ?? []) as Iterable<unknown>)];
  const isIn: unknown[] = [...((stored?.isInHoldoutId ?? []) as Iterable<unknown>)];
  const initial = notIn.length;
  if (holdouts.length > 0 && state.payload) state.payload.isHoldoutPresent = true;
  for (const h of holdouts) {
    if (!notIn.includes(h.id) && !isIn.includes(h.id)) {
      notIn.push(h.id);
      state.impression(h.id, HOLDOUT_VARIATION_NOT_IN, true);
    }
  }
  if (notIn.length > initial) state.write(storedRecord({ featureKey: feature.key, userId: state.userId, notInHoldoutId: notIn as StoredRecord['notInHoldoutId'] }));
  return notIn;
}

export function holdoutImpressions(state: DecisionState, evaluated: Array<[CHoldout, number]>, evenInDevMode: boolean): void {
  for (const [h, variation] of evaluated) state.impression(h.id, variation, true, evenInDevMode);
}

export function idsOf(holdouts: readonly CHoldout[]): StoredRecord['isInHoldoutId'] {
  return holdouts.map((h) => h.id);
}
