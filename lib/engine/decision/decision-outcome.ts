/**
 * What the rules of one decision have settled so far: which rollout and which experiment serve the user, and the
 * holdouts the user is not in, and the rules that passed (VWO's `passedRulesInformation`: stored, and given to the
 * integration callback).
 */
import type { CRule, CVariation } from '../settings/model';
import type { Id, StoredRecord } from '../types';

export class DecisionOutcome {
  enabled = false;
  /** A rollout rule passed segmentation but the user is outside its traffic. */
  notInRollout = false;
  rolloutRule: CRule | undefined = undefined;
  rolloutVariation: CVariation | null = null;
  /** A stored rollout decision is reused: the rollout ids below are the stored record's, as stored. */
  reusesStoredRollout = false;
  experimentRule: CRule | undefined = undefined;
  experimentVariation: CVariation | null = null;
  whitelisted = false;
  readonly notInHoldoutIds: unknown[] = [];
  // The passed rules, kept as plain fields: the record and the payload read them on every enabled decision.
  hasRollout = false;
  rolloutId: unknown = undefined;
  rolloutKey: unknown = undefined;
  rolloutVariationId: unknown = undefined;
  hasExperiment = false;
  experimentId: unknown = undefined;
  experimentKey: unknown = undefined;
  experimentVariationId: unknown = undefined;

  reuseStoredRollout(stored: StoredRecord, variation: CVariation): void {
    this.enabled = true;
    this.reusesStoredRollout = true;
    this.rolloutVariation = variation;
    this.setRollout(stored.rolloutId, stored.rolloutKey, stored.rolloutVariationId);
  }

  serveRollout(rule: CRule, variation: CVariation): void {
    this.enabled = true;
    this.rolloutRule = rule;
    this.rolloutVariation = variation;
    this.setRollout(rule.id, rule.key, variation.id);
  }

  serveExperiment(rule: CRule, variation: CVariation, whitelisted: boolean): void {
    this.enabled = true;
    this.experimentRule = rule;
    this.experimentVariation = variation;
    this.whitelisted = whitelisted;
    this.hasExperiment = true;
    this.experimentId = rule.id;
    this.experimentKey = rule.key;
    this.experimentVariationId = variation.id;
  }

  /** The record of an enabled flag (docs/decisions.md), VWO's field order, undefined fields left out. */
  record(featureKey: string, featureId: Id, userId: string): StoredRecord {
    const r: Record<string, unknown> = { featureKey, featureId, userId };
    if (this.rolloutId !== undefined) r.rolloutId = this.rolloutId;
    if (this.rolloutKey !== undefined) r.rolloutKey = this.rolloutKey;
    if (this.rolloutVariationId !== undefined) r.rolloutVariationId = this.rolloutVariationId;
    if (this.experimentId !== undefined) r.experimentId = this.experimentId;
    if (this.experimentKey !== undefined) r.experimentKey = this.experimentKey;
    if (this.experimentVariationId !== undefined) r.experimentVariationId = this.experimentVariationId;
    r.notInHoldoutId = this.notInHoldoutIds;
    return r as StoredRecord;
  }

  private setRollout(id: unknown, key: unknown, variationId: unknown): void {
    this.hasRollout = true;
    this.rolloutId = id;
    this.rolloutKey = key;
    this.rolloutVariationId = variationId;
  }
}
