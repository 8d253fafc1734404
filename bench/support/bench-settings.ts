/**
 * Fixed settings documents and contexts for the benchmarks: the shapes that matter for decision cost
 * (a plain rollout, segmented rollout + test, a mutually exclusive group, large documents).
 */
import { Segments, SettingsDoc, SettingsDocBuilder } from './settings-document';

export interface BenchFixture {
  name: string;
  doc: SettingsDoc;
  /** The feature every benchmark call decides. */
  featureKey: string;
}

/** Every bench context satisfies these segments, so the measured path goes through rollout and test. */
const SEGMENTED_ROLLOUT: Segments = { or: [{ custom_variable: { plan: 'lower(GOLD)' } }] };
const SEGMENTED_TEST: Segments = {
  and: [{ custom_variable: { price: 'gt(99)' } }, { or: [{ custom_variable: { country: 'regex(^(US|IN|DE)$)' } }] }],
};

export function fullRollout(): BenchFixture {
  const b = new SettingsDocBuilder();
  b.rollout(b.feature('checkout'), { weight: 100 });
  return { name: '100% rollout', doc: b.doc, featureKey: 'checkout' };
}

export function rolloutAndTest(): BenchFixture {
  const b = new SettingsDocBuilder();
  const feature = b.feature('checkout');
  b.rollout(feature, { weight: 100, segments: SEGMENTED_ROLLOUT });
  b.testing(feature, { variations: [{ weight: 50 }, { weight: 50 }], percentTraffic: 100, segments: SEGMENTED_TEST });
  return { name: 'rollout + test, segmented', doc: b.doc, featureKey: 'checkout' };
}

/** Two features whose tests (and a personalize rule) share one random-algorithm group. */
export function mutuallyExclusiveGroup(): BenchFixture {
  const b = new SettingsDocBuilder();
  const refs: string[] = [];
  for (const key of ['checkout', 'search']) {
    const feature = b.feature(key);
    b.rollout(feature, { weight: 100 });
    refs.push(String(b.testing(feature, { variations: [{ weight: 50 }, { weight: 50 }], percentTraffic: 100 }).id));
  }
  const checkout = b.doc.features[0];
  const personalize = b.personalizeCampaign(checkout, [{ weight: 100 }]);
  b.personalizeRule(checkout, personalize, 1);
  refs.push(`${personalize.id}_1`);
  b.group(refs);
  return { name: 'mutually exclusive group', doc: b.doc, featureKey: 'checkout' };
}

/** `count` features, each a 100% rollout plus a 50/50 test; the decided feature is in the middle. */
export function manyFeatures(count: number): BenchFixture {
  const b = new SettingsDocBuilder();
  for (let i = 1; i <= count; i++) {
    const feature = b.feature(`feature${i}`);
    b.rollout(feature, { weight: 100 });
    b.testing(feature, { variations: [{ weight: 50 }, { weight: 50 }], percentTraffic: 100 });
  }
  return { name: `${count.toLocaleString('en-US')} features`, doc: b.doc, featureKey: `feature${Math.ceil(count / 2)}` };
}

/** A type alias (not an interface) so it is also a Record<string, unknown>. */
export type BenchContext = { id: string; customVariables: Record<string, unknown> };

/**
 * A pool of distinct users (size a power of two, so `i & (size - 1)` rotates through it). Ids are 26
 * bytes, so bucketing keys (`<campaignId>_<accountId>_<id>`) are about 40 bytes.
 */
export function benchContexts(size = 1024): BenchContext[] {
  return Array.from({ length: size }, (_, i) => ({
    id: `bench-user-${String(i).padStart(6, '0')}-${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}`,
    customVariables: { plan: 'gold', price: 100 + (i % 50), country: ['US', 'IN', 'DE'][i % 3] },
  }));
}
