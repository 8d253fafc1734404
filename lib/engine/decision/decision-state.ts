/**
 * One decision in progress: its inputs, what it has read and written so far, and the effects it has collected.
 * The decision steps are plain functions over this state, so one decision allocates one state object and the
 * lists it actually needs, and nothing per rule.
 */
import type { CompiledSnapshot } from '../settings/compile';
import type { CVariation } from '../settings/model';
import type { SegmentEnv } from '../segments';
import type { EngineLogger, GatewayUserData, Id, Impression, IntegrationPayload, StoredLookup, StoredRecord, VWOUserContext } from '../types';
import { getUUID } from '../uuid';
import type { DecideOptions } from './decide-options';

// Shared empty lists (frozen: a caller pushing into a decision's lists must not leak into other decisions).
export const NO_WRITES = Object.freeze([]) as unknown as StoredRecord[];
export const NO_IMPRESSIONS = Object.freeze([]) as unknown as Impression[];

const toStr = Object.prototype.toString;
/** No group met yet (a value no settings document can hold). */
const NO_GROUP = Symbol('no group');

/**
 * `list` with `item` at its end. Literals size the first two exactly (most decisions write once or twice and
 * queue one or two impressions), where a push would grow the list to room for 17.
 */
function appended<T>(list: T[], item: T): T[] {
  if (list.length === 0) return [item];
  if (list.length === 1) return [list[0], item];
  list.push(item);
  return list;
}

function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

export class DecisionState implements SegmentEnv {
  /** customVariables / variationTargetingVariables as VWO's context model holds them (replaced per rule). */
  customVariables: Record<string, unknown> | undefined;
  variationTargetingVariables: Record<string, unknown> | undefined;
  /** The two above are copies this decision made (never mutated), so an identical copy can be skipped. */
  customVariablesOwned = false;
  variationTargetingVariablesOwned = false;
  writes: StoredRecord[] = NO_WRITES;
  impressions: Impression[] = NO_IMPRESSIONS;
  /** The integration callback's payload, only when the caller has a callback to give it to. */
  payload: IntegrationPayload | undefined;
  /** Id of the decided feature (impressions carry it). */
  featureId: Id | undefined;
  private readonly suppressEvents: boolean;
  /** The writes read back (newest last): a decision writes a few records at most, so a list beats a Map. */
  private overlay: StoredRecord[] | undefined;
  private uuidValue: string | undefined;
  /**
   * VWO's evaluatedFeatureMap, of which only the keys are ever read: the decided feature's rollout passed
   * pre-segmentation (or was stored), and which other group features passed their rollout. No Map per call.
   */
  private ownRolloutPassed = false;
  private otherRolloutsPassed: string[] | undefined;
  /**
   * VWO's megGroupWinnerCampaigns of the experiment rules (one per decision): the first group's winner in two
   * fields (a decision rarely meets more than one group), any other group's in a Map made on first use.
   */
  private firstGroup: unknown = NO_GROUP;
  private firstGroupWinner: unknown = undefined;
  private otherGroupWinners: Map<unknown, unknown> | undefined;

  constructor(
    readonly snapshot: CompiledSnapshot,
    readonly featureKey: string,
    readonly context: VWOUserContext,
    readonly userId: string,
    readonly bucketingId: string,
    private readonly stored: StoredLookup,
    readonly logger: EngineLogger | undefined,
    private readonly options: DecideOptions | undefined,
  ) {
    this.customVariables = context.customVariables || undefined;
    this.variationTargetingVariables = context.variationTargetingVariables || undefined;
    this.suppressEvents = !!(snapshot.devMode && context.isDevMode);
  }

  /** A record as VWO's storage would return it: this decision's writes first (when overlaid), then the prefetched ones. */
  read(key: string): StoredRecord | null {
    const overlay = this.overlay;
    if (overlay !== undefined) {
      for (let i = overlay.length - 1; i >= 0; i--) if (overlay[i].featureKey === key) return overlay[i];
    }
    let value: StoredRecord | null | undefined;
    try {
      value = this.stored(key);
    } catch {
      value = null;
    }
    return value ?? null;
  }

  /** VWO's StorageDecorator.setDataInStorage, including the records it refuses to write. */
  write(record: StoredRecord, overlay = true): void {
    if (!record.featureKey || !record.userId) return;
    if ((record.rolloutKey && !record.experimentKey && !record.rolloutVariationId) || (record.experimentKey && !record.experimentVariationId)) {
      this.logger?.warn(`VWO: not storing an incomplete decision record for "${String(record.featureKey)}"`);
      return;
    }
    this.writes = appended(this.writes, record);
    if (overlay && this.options?.overlayWrites !== false) {
      if (this.overlay === undefined) this.overlay = [record];
      else this.overlay.push(record);
    }
  }

  impression(campaignId: Id, variationId: Id, isHoldout = false, evenInDevMode = false): void {
    if (this.suppressEvents && !evenInDevMode) return;
    const imp: Impression = { campaignId, variationId, featureId: this.featureId as Id };
    if (isHoldout) imp.isHoldout = true;
    this.impressions = appended(this.impressions, imp);
  }

  /** The variation a stored record names, if its campaign and variation are still in the settings. */
  storedVariation(campaignKey: unknown, variationId: unknown): CVariation | undefined {
    return this.snapshot.campaignByKey.get(campaignKey as string)?.variationById.get(variationId);
  }

  /** The user's VWO UUID (user lists are keyed by it), derived once per decision. */
  uuid(): string {
    return (this.uuidValue ??= getUUID(this.userId, this.snapshot.accountId));
  }

  /** The winner recorded for a group in this decision (Map semantics: SameValueZero keys), or undefined. */
  groupWinner(groupId: unknown): unknown {
    if (sameValueZero(groupId, this.firstGroup)) return this.firstGroupWinner;
    return this.otherGroupWinners?.get(groupId);
  }

  setGroupWinner(groupId: unknown, winner: unknown): void {
    if (this.firstGroup === NO_GROUP || sameValueZero(groupId, this.firstGroup)) {
      this.firstGroup = groupId;
      this.firstGroupWinner = winner;
    } else {
      (this.otherGroupWinners ??= new Map()).set(groupId, winner);
    }
  }

  rolloutPassed(key: string): boolean {
    return key === this.featureKey ? this.ownRolloutPassed : !!this.otherRolloutsPassed?.includes(key);
  }

  markRolloutPassed(key: string): void {
    if (key === this.featureKey) this.ownRolloutPassed = true;
    else if (!this.otherRolloutsPassed) this.otherRolloutsPassed = [key];
    else if (!this.otherRolloutsPassed.includes(key)) this.otherRolloutsPassed.push(key);
  }

  /** What segments see besides the variables map: the state itself (no object or closure per decision). */
  env(): SegmentEnv {
    return this;
  }

  // SegmentEnv, read from the context (and the options) when a segment asks.
  get userAgent(): string | undefined {
    return this.context.userAgent;
  }

  get ipAddress(): string | undefined {
    return this.context.ipAddress;
  }

  get gateway(): GatewayUserData | undefined {
    const context = this.context;
    return context._vwo || context._wingify || this.options?.gateway;
  }

  get platformVariables(): VWOUserContext['platformVariables'] {
    return this.context.platformVariables;
  }

  get inList(): DecideOptions['inList'] {
    return this.options?.inList;
  }

  featureIdState(featureId: number): 'on' | 'off' | 'unknown' {
    const key = this.snapshot.featureKeyById.get(featureId);
    if (key === undefined) return 'unknown';
    const r = this.read(key);
    return toStr.call(r) === '[object Object]' && Object.keys(r!).length > 0 ? 'on' : 'off';
  }
}
