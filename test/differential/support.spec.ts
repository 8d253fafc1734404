/** The shared generators and measurement helpers the differential test and the benchmarks rely on. */
import { getUUID } from 'vwo-fme-node-sdk';
import { Prng } from '../../bench/support/prng';
import { CONTEXTUAL_PROFILE, DEFAULT_PROFILE, randomContext, randomSettings, RandomSettings } from '../../bench/support/random-settings';
import { campaignRef, SettingsDocBuilder } from '../../bench/support/settings-document';
import { median, percentile } from '../../bench/support/stats';
import { sameValue } from './comparable-decision';
import { renderTable } from '../../bench/support/table';
import { runAsync, runSync, throughputSync } from '../../bench/support/timing';
import { ourEngine } from './our-engine';

/** What the contextual profile adds to a context (contextual-segments.ts). */
const CONTEXTUAL_FIELDS = ['userAgent', 'ipAddress', '_vwo'];

function generate(seed: number): RandomSettings {
  return randomSettings(new Prng(seed), getUUID);
}

describe('Prng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const sequence = (r: Prng): number[] => Array.from({ length: 20 }, () => r.next());
    expect(sequence(a)).toEqual(sequence(b));
    expect(sequence(new Prng(7))).not.toEqual(sequence(new Prng(8)));
  });

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    const rng = new Prng(1);
    const seen = new Set(Array.from({ length: 500 }, () => rng.int(2, 5)));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });
});

describe('random settings', () => {
  it('reproduces a document and its contexts from the seed alone', () => {
    const first = new Prng(42);
    const second = new Prng(42);
    const docA = randomSettings(first, getUUID);
    const docB = randomSettings(second, getUUID);
    expect(JSON.stringify(docA.doc)).toBe(JSON.stringify(docB.doc));
    expect(randomContext(first, docA)).toEqual(randomContext(second, docB));
  });

  it('never lets a context match two whitelisted variations of one campaign', () => {
    for (let seed = 0; seed < 40; seed++) {
      const generated = generate(seed);
      const rng = new Prng(seed);
      for (let i = 0; i < 50; i++) {
        const context = randomContext(rng, generated);
        const tier = (context.variationTargetingVariables as Record<string, unknown> | undefined)?.tier;
        const matched = generated.whitelists.filter((w) => w.userIds.includes(String(context.id)) || w.tier === tier);
        const campaigns = matched.map((w) => w.campaignId);
        expect(new Set(campaigns).size).toBe(campaigns.length);
      }
    }
  });

  it('draws nothing for contextual segments unless the profile asks: other profiles keep what their seeds made', () => {
    const plain = new Prng(5);
    const zero = new Prng(5);
    const a = randomSettings(plain, getUUID, DEFAULT_PROFILE);
    const b = randomSettings(zero, getUUID, { ...DEFAULT_PROFILE, contextual: 0 });
    expect(JSON.stringify(b.doc)).toBe(JSON.stringify(a.doc));
    for (let i = 0; i < 50; i++) {
      const context = randomContext(zero, b);
      expect(context).toEqual(randomContext(plain, a));
      expect(Object.keys(context).filter((k) => CONTEXTUAL_FIELDS.includes(k))).toEqual([]);
    }
  });

  it('with the contextual profile, the user agent, the IP and the _vwo details each decide some flags', () => {
    const rng = new Prng(7);
    const changedBy: Record<string, number> = Object.fromEntries(CONTEXTUAL_FIELDS.map((field) => [field, 0]));
    for (let d = 0; d < 20; d++) {
      const generated = randomSettings(rng, getUUID, CONTEXTUAL_PROFILE);
      const decide = ourEngine(generated.doc, undefined);
      for (let c = 0; c < 80; c++) {
        const context = randomContext(rng, generated);
        const key = rng.pick(generated.featureKeys);
        const full = decide(key, context);
        for (const field of Object.keys(changedBy)) {
          const without = decide(key, { ...context, [field]: undefined });
          if (without.reason !== full.reason || without.enabled !== full.enabled || without.variationId !== full.variationId) changedBy[field]++;
        }
      }
    }
    // About 4-7% of 1,600 decisions each: enough that the differential profile compares what these nodes decide.
    for (const field of Object.keys(changedBy)) expect(changedBy[field]).toBeGreaterThan(30);
  });

  it('lists every group campaign reference in campaignGroups under its group', () => {
    for (let seed = 0; seed < 40; seed++) {
      const { doc } = generate(seed);
      for (const [groupId, group] of Object.entries(doc.groups ?? {})) {
        for (const ref of group.campaigns) expect(doc.campaignGroups?.[ref]).toBe(Number(groupId));
      }
    }
  });
});

describe('SettingsDocBuilder', () => {
  it('keys campaigns by feature and rule, and gives several rollout rules one campaign', () => {
    const b = new SettingsDocBuilder(99);
    const feature = b.feature('checkout');
    const rollout = b.rollout(feature, { weight: 50 });
    b.addRolloutRule(feature, rollout, { weight: 20 });
    const test = b.testing(feature, { variations: [{ weight: 50 }, { weight: 50 }] });
    expect(rollout.key).toBe('checkout_rolloutRule1');
    expect(feature.rules.map((r) => [r.ruleKey, r.campaignId, r.variationId])).toEqual([
      ['rolloutRule1', rollout.id, 1],
      ['rolloutRule2', rollout.id, 2],
      ['testingRule1', test.id, undefined],
    ]);
    expect(campaignRef(test)).toBe(String(test.id));
    expect(campaignRef(rollout, 2)).toBe(`${rollout.id}_2`);
  });
});

describe('sameValue', () => {
  it('compares structure and values, not prototypes', () => {
    const json = { a: [1, { b: 'x' }], c: null };
    expect(sameValue(json, structuredClone(json))).toBe(true);
    expect(sameValue(json, JSON.parse(JSON.stringify(json)))).toBe(true);
    expect(sameValue({ a: [1, { b: 'y' }], c: null }, json)).toBe(false);
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(false);
    expect(sameValue([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameValue(1, '1')).toBe(false);
  });
});

describe('stats and table', () => {
  it('computes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([], 50)).toBeNaN();
  });

  it('aligns columns and keeps two decimals for small numbers', () => {
    const text = renderTable(['name', 'rate'], [['a', 1234.5], ['bb', 0.28]], 0);
    expect(text.split('\n')).toEqual(['name   rate', '----  -----', 'a     1,235', 'bb     0.28']);
  });
});

describe('timing', () => {
  it('runs a fast operation for the whole budget', () => {
    let calls = 0;
    const t = throughputSync(() => calls++, 20);
    expect(t.iterations).toBe(calls);
    expect(t.elapsedMs).toBeGreaterThanOrEqual(20);
    expect(t.perSecond).toBeCloseTo(t.iterations / (t.elapsedMs / 1000), 3);
  });

  it('measures a slow operation from its own calls instead of a second window', async () => {
    let calls = 0;
    const slow = (): Promise<void> => new Promise((resolve) => setTimeout(() => resolve(void calls++), 15));
    const result = await runAsync(slow, 10);
    expect(result.iterations).toBe(1);
    expect(calls).toBe(1);
    expect(result.p50Us).toBeGreaterThanOrEqual(10_000);
  });

  it('reports latency percentiles in microseconds', () => {
    const result = runSync(() => Math.sqrt(2), 5);
    expect(result.samples).toBeGreaterThan(0);
    expect(result.p50Us).toBeLessThanOrEqual(result.p99Us);
  });
});
