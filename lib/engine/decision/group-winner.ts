/**
 * The winner of a mutually exclusive group's competition (docs/decisions.md): at random by equal weights, or by the
 * group's priority list and then its weights. The winner is stored in the group's meta record, whichever feature
 * it belongs to; it serves only if it is a campaign of the decided feature.
 */
import { VARIATION_SCALE, bucketValueJoined, rangeStep } from '../bucketing';
import { CAMPAIGN_PERSONALIZE, MEG_RANDOM_ALGO } from '../constants';
import type { CFeature, CRule, MegGroupRef } from '../settings/model';
import type { StoredRecord } from '../types';
import type { DecisionState } from './decision-state';

export function pickGroupWinner(state: DecisionState, feature: CFeature, group: MegGroupRef, pool: CRule[] | undefined): CRule | null {
  if (!pool) return null;
  if (pool.length === 1) return pool[0];
  const snap = state.snapshot;
  const called = snap.ruleCampaignIdsByKey.get(feature.key)!;
  const et: unknown = snap.groups[group.groupId as string]?.et;
  const algo = et !== undefined ? et : MEG_RANDOM_ALGO;
  return algo === MEG_RANDOM_ALGO ? randomWinner(state, pool, called, group) : advancedWinner(state, pool, called, group);
}

function randomWinner(state: DecisionState, candidates: CRule[], called: readonly unknown[], group: MegGroupRef): CRule | null {
  const weight = Math.round((100 / candidates.length) * 10000) / 10000;
  const winner = pickByWeight(state, candidates, null, weight, group);
  if (!winner) return null;
  // VWO's random winner is a variation model built from the campaign: its key is `key || name`.
  writeWinner(state, group, winner, winner.key || winner.name);
  return called.includes(winner.id) ? winner : null;
}

function advancedWinner(state: DecisionState, candidates: CRule[], called: readonly unknown[], group: MegGroupRef): CRule | null {
  // The group's settings as the document has them: `p` a priority list, `wt` weights by campaign reference.
  const settings = state.snapshot.groups[group.groupId as string];
  const priority: ArrayLike<unknown> = settings.p !== undefined ? settings.p : {};
  const wt: Record<string, unknown> = settings.wt !== undefined ? settings.wt : {};
  let winner: CRule | null = null;
  let winnerKey: string | undefined;
  outer: for (let i = 0; i < priority.length; i++) {
    for (const c of candidates) {
      // eslint-disable-next-line eqeqeq
      if (c.id == priority[i] || `${c.id}_${c.variations[0].id}` === priority[i]) {
        winner = c;
        winnerKey = c.key;
        break outer;
      }
    }
  }
  if (!winner) {
    const weights: unknown[] = [];
    const participants: CRule[] = [];
    for (const c of candidates) {
      let w = wt[c.id as string];
      if (w === undefined) w = wt[`${c.id}_${c.variations[0].id}`];
      if (w !== undefined) {
        participants.push(c);
        weights.push(w);
      }
    }
    winner = pickByWeight(state, participants, weights, undefined, group);
    winnerKey = winner ? winner.key || winner.name : undefined;
  }
  if (!winner) return null;
  writeWinner(state, group, winner, winnerKey!);
  return called.includes(winner.id) ? winner : null;
}

/**
 * Cumulative ranges (docs/settings.md steps) over the candidates and the `<groupId>_<bucketingId>` bucket. Each candidate
 * weighs `weights[i]`, or `sameWeight` when weights is null (no per-call closure or array).
 */
function pickByWeight(state: DecisionState, candidates: CRule[], weights: unknown[] | null, sameWeight: unknown, group: MegGroupRef): CRule | null {
  if (candidates.length === 0) return null;
  const b = bucketValueJoined(group.bucketPrefix, state.bucketingId, VARIATION_SCALE);
  let current = 0;
  for (let i = 0; i < candidates.length; i++) {
    const step = rangeStep(weights ? weights[i] : sameWeight);
    if (step && b >= current + 1 && b <= current + step) return candidates[i];
    current += step;
  }
  return null;
}

function writeWinner(state: DecisionState, group: MegGroupRef, winner: CRule, key: string): void {
  // Built directly (not through storedRecord()): validated settings leave none of these fields undefined.
  state.write({
    featureKey: group.metaKey,
    userId: state.userId,
    experimentId: winner.id,
    experimentKey: key,
    experimentVariationId: winner.type === CAMPAIGN_PERSONALIZE ? winner.variations[0].id : -1,
  });
}
