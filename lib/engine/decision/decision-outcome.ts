/**
 * What the rules of one decision have settled so far: which rollout and which experiment serve the user, and the
 * holdouts the user is not in. The passed rules (VWO's `passedRulesInformation`, stored and given to the
 * integration callback) are read from here rather than kept twice.
 */
import type { CRule, CVariation } from '../settings/model';
import type { Id, StoredRecord } from '../types';

export class DecisionOutcome {
  enabled = false;
  /** A rollout rule passed segmentation but the user is outside its traffic. */
  notInRollout = false;
  rolloutRule: CRule | undefined = undefined;
  rolloutVariation: CVariation | null = null;
  /** A stored rollout decision is reused; the ids below are the stored record's, as stored. */
  reusesStoredRollout = false;
  storedRolloutId: unknown = undefined;
  storedRolloutKey: unknown = undefined;
  storedRolloutVariationId: unknown = undefined;
  experimentRule: CRule | undefined = undefined;
  experimentVariation: CVariation | null = null;
  whitelisted = false;
  readonly notInHoldoutIds: unknown[] = [];

  get hasRollout(): boolean {
    return this.reusesStoredRollout || this.rolloutRule !== undefined;
  }
  get rolloutId(): unknown {
    return this.reusesStoredRollout ? this.storedRolloutId : this.rolloutRule?.id;
  }
  get rolloutKey(): unknown {
    return this.reusesStoredRollout ? this.storedRolloutKey : this.rolloutRule?.key;
  }
  get rolloutVariationId(): unknown {
    return this.reusesStoredRollout ? this.storedRolloutVariationId : this.rolloutVariation?.id;
  }
  get hasExperiment(): boolean {
    return this.experimentRule !== undefined;
  }
  get experimentId(): unknown {
    return this.experimentRule?.id;
  }
  get experimentKey(): unknown {
    return this.experimentRule?.key;
  }
  get experimentVariationId(): unknown {
    return this.experimentVariation?.id;
  }

  reuseStoredRollout(stored: StoredRecord, variation: CVariation): void {
    this.enabled = true;
    this.reusesStoredRollout = true;
    this.storedRolloutId = stored.rolloutId;
    this.storedRolloutKey = stored.rolloutKey;
    this.storedRolloutVariationId = stored.rolloutVariationId;
    this.rolloutVariation = variation;
  }

  serveRollout(rule: CRule, variation: CVariation): void {
    this.enabled = true;
    this.rolloutRule = rule;
    this.rolloutVariation = variation;
  }

  serveExperiment(rule: CRule, variation: CVariation, whitelisted: boolean): void {
    this.enabled = true;
    this.experimentRule = rule;
    this.experimentVariation = variation;
    this.whitelisted = whitelisted;
  }

  /** The record of an enabled flag (docs/decisions.md), VWO's field order, undefined fields left out. */
  record(featureKey: string, featureId: Id, userId: string): StoredRecord {
    const r: Record<string, unknown> = { featureKey, featureId, userId };
    const rolloutId = this.rolloutId;
    const rolloutKey = this.rolloutKey;
    const rolloutVariationId = this.rolloutVariationId;
    const experimentId = this.experimentId;
    const experimentKey = this.experimentKey;
    const experimentVariationId = this.experimentVariationId;
    if (rolloutId !== undefined) r.rolloutId = rolloutId;
    if (rolloutKey !== undefined) r.rolloutKey = rolloutKey;
    if (rolloutVariationId !== undefined) r.rolloutVariationId = rolloutVariationId;
    if (experimentId !== undefined) r.experimentId = experimentId;
    if (experimentKey !== undefined) r.experimentKey = experimentKey;
    if (experimentVariationId !== undefined) r.experimentVariationId = experimentVariationId;
    r.notInHoldoutId = this.notInHoldoutIds;
    return r as StoredRecord;
  }
}
