/**
 * Sticky-decision storage for the differential test: one Map-backed store per side, both seeded with the same
 * records, each logging the writes its side makes. Records are deep-copied in and out, so neither side can
 * change what the other reads.
 */
import type { Prng } from '../../bench/support/prng';
import type { OfficialStorageConnector } from '../../bench/support/official-sdk';
import type { CampaignDoc, SettingsDoc } from '../../bench/support/settings-document';
import type { StoredRecord } from '../../lib/engine/types';

/** The key VWO stores a mutually exclusive group's winner under, per user. */
const MEG_META_KEY = '_vwo_meta_meg_';

/**
 * A connector that has nothing and keeps nothing: the same decisions as no storage at all. 1.35 keeps the last
 * connector process-wide (a module singleton), so a run without storage passes this to replace an earlier one.
 */
export const NO_STORAGE: OfficialStorageConnector = {
  get: async () => null,
  set: async () => undefined,
};

export class DifferentialStore {
  private readonly records = new Map<string, Record<string, unknown>>();
  /** Every write since the last takeWrites(), in order. */
  private writes: Array<Record<string, unknown>> = [];

  read(featureKey: string, userId: string): Record<string, unknown> | undefined {
    const record = this.records.get(keyOf(featureKey, userId));
    return record && structuredClone(record);
  }

  write(record: Record<string, unknown>): void {
    const copy = structuredClone(record);
    this.writes.push(copy);
    this.records.set(keyOf(String(copy.featureKey), String(copy.userId)), copy);
  }

  /** Puts a record in place without logging it as a write (stored data from before the run). */
  seed(record: Record<string, unknown>): void {
    this.records.set(keyOf(String(record.featureKey), String(record.userId)), structuredClone(record));
  }

  takeWrites(): Array<Record<string, unknown>> {
    const taken = this.writes;
    this.writes = [];
    return taken;
  }

  /** The store as the official SDK's storage connector (it awaits get and set). */
  asConnector(): OfficialStorageConnector {
    return {
      get: async (featureKey, userId) => this.read(featureKey, String(userId)) ?? null,
      // Applied at once, as a synchronous store would: a later read in the same getFlag sees it.
      set: async (record) => this.write(record),
    };
  }

  /** Our engine's synchronous lookup of one user's records. */
  lookupFor(userId: string): (featureKey: string) => StoredRecord | undefined {
    return (featureKey) => this.read(featureKey, userId) as StoredRecord | undefined;
  }
}

function keyOf(featureKey: string, userId: string): string {
  return `${featureKey}\u0000${userId}`;
}

/**
 * Records a returning user might have from earlier visits, on settings that may since have changed: for some
 * features a stored rollout and/or experiment (sometimes pointing at a variation that no longer exists), for
 * some groups a stored winner. Every record carries the feature's id, which our engine requires to reuse it.
 */
export function storedRecordsFor(rng: Prng, doc: SettingsDoc, userIds: readonly string[]): Array<Record<string, unknown>> {
  const byId = new Map(doc.campaigns.map((c) => [c.id, c]));
  const records: Array<Record<string, unknown>> = [];
  for (const userId of userIds) {
    for (const feature of doc.features) {
      if (!rng.chance(0.5)) continue;
      const record: Record<string, unknown> = { featureKey: feature.key, userId, featureId: feature.id };
      const rollouts = feature.rules.filter((r) => r.type === 'FLAG_ROLLOUT');
      const experiments = feature.rules.filter((r) => r.type !== 'FLAG_ROLLOUT');
      if (rollouts.length > 0 && rng.chance(0.6)) {
        const campaign = byId.get(rng.pick(rollouts).campaignId)!;
        Object.assign(record, { rolloutId: campaign.id, rolloutKey: campaign.key, rolloutVariationId: storedVariationId(rng, campaign) });
      }
      if (experiments.length > 0 && rng.chance(0.5)) {
        const campaign = byId.get(rng.pick(experiments).campaignId)!;
        Object.assign(record, { experimentId: campaign.id, experimentKey: campaign.key, experimentVariationId: storedVariationId(rng, campaign) });
      }
      records.push(record);
    }
    for (const [groupId, group] of Object.entries(doc.groups ?? {})) {
      if (!rng.chance(0.4) || group.campaigns.length === 0) continue;
      const [campaignId, variationId] = rng.pick(group.campaigns).split('_');
      const campaign = byId.get(Number(campaignId));
      if (!campaign) continue;
      records.push({
        featureKey: `${MEG_META_KEY}${groupId}`,
        userId,
        experimentId: campaign.id,
        experimentKey: campaign.key,
        experimentVariationId: variationId === undefined ? -1 : Number(variationId),
      });
    }
  }
  return records;
}

/** Mostly one of the campaign's variations; now and then one it no longer has. */
function storedVariationId(rng: Prng, campaign: CampaignDoc): number {
  return rng.chance(0.1) ? 999 : rng.pick(campaign.variations).id;
}
