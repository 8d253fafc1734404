/** DecisionState: what one decision reads back, writes, queues and remembers (docs/decisions.md). */
import type { CompiledSnapshot } from '../settings/compile';
import type { GatewayUserData, StoredRecord, VWOUserContext } from '../types';
import { getUUID } from '../uuid';
import { DecisionState, NO_IMPRESSIONS, NO_WRITES } from './decision-state';
import type { DecideOptions } from './decide-options';
import { compileSettings, fixtures, none } from './decision-spec.helpers';

const { feature, rolloutCampaign, rule, settings } = fixtures;

const doc = (extra: Record<string, unknown> = {}): Record<string, unknown> =>
  settings(
    [feature(7, 'checkout', [rule('FLAG_ROLLOUT', 'r', 70)]), feature(8, 'search', [rule('FLAG_ROLLOUT', 'r', 80)])],
    [rolloutCampaign(70, 'checkout_r', [{ id: 1, weight: 100 }]), rolloutCampaign(80, 'search_r', [{ id: 1, weight: 100 }])],
    extra,
  );

interface StateSetup {
  context?: VWOUserContext;
  stored?: (key: string) => StoredRecord | undefined;
  options?: DecideOptions;
  devMode?: boolean;
  warnings?: string[];
}

function stateFor({ context = { id: 'alice' }, stored = none, options, devMode = false, warnings = [] }: StateSetup = {}): DecisionState {
  const snapshot = compileSettings(doc(devMode ? { devMode: true } : {})) as CompiledSnapshot;
  const logger = { warn: (m: string) => warnings.push(m) };
  return new DecisionState(snapshot, 'checkout', context, String(context.id), String(context.id), stored, logger, options);
}

const record = (featureKey: string, extra: Partial<StoredRecord> = {}): StoredRecord =>
  ({ featureKey, userId: 'alice', rolloutId: 70, rolloutKey: 'checkout_r', rolloutVariationId: 1, ...extra }) as StoredRecord;

describe('DecisionState: reading back what the decision wrote', () => {
  it('reads the newest own write of a key first, then the prefetched records', () => {
    const prefetched = record('search', { rolloutVariationId: 9 });
    const state = stateFor({ stored: (k) => (k === 'search' ? prefetched : undefined) });
    expect(state.read('search')).toBe(prefetched);
    expect(state.read('checkout')).toBeNull();
    const first = record('checkout');
    const second = record('checkout', { experimentKey: 'x', experimentId: 2, experimentVariationId: 3 });
    state.write(first);
    state.write(record('search'));
    state.write(second);
    expect(state.read('checkout')).toBe(second);
    expect(state.read('search')).toEqual(record('search'));
    expect(state.writes).toEqual([first, record('search'), second]);
  });

  it('a write made without overlay, or with overlayWrites false, is sent but not read back', () => {
    const prefetched = record('checkout', { rolloutVariationId: 5 });
    const stored = (k: string): StoredRecord | undefined => (k === 'checkout' ? prefetched : undefined);
    const quiet = stateFor({ stored });
    quiet.write(record('checkout'), false);
    expect(quiet.read('checkout')).toBe(prefetched);
    expect(quiet.writes).toEqual([record('checkout')]);

    const noOverlay = stateFor({ stored, options: { overlayWrites: false } });
    noOverlay.write(record('checkout'));
    expect(noOverlay.read('checkout')).toBe(prefetched);
    expect(noOverlay.writes).toHaveLength(1);
  });

  it('a lookup that throws or answers nothing reads as no record', () => {
    const throwing = stateFor({
      stored: () => {
        throw new Error('storage down');
      },
    });
    expect(throwing.read('checkout')).toBeNull();
    expect(stateFor({ stored: () => undefined }).read('checkout')).toBeNull();
  });
});

describe('DecisionState: writes VWO refuses', () => {
  it('drops a record without a feature key or user id, silently', () => {
    const warnings: string[] = [];
    const state = stateFor({ warnings });
    state.write(record('', {}));
    state.write(record('checkout', { userId: '' }));
    expect(state.writes).toBe(NO_WRITES);
    expect(warnings).toEqual([]);
  });

  it('drops an incomplete decision with a warning naming the feature, and keeps complete ones', () => {
    const warnings: string[] = [];
    const state = stateFor({ warnings });
    state.write(record('checkout', { rolloutVariationId: undefined }));
    state.write(record('search', { experimentKey: 'search_t', experimentId: 2, experimentVariationId: undefined }));
    expect(state.writes).toHaveLength(0);
    expect(warnings).toEqual([
      'VWO: not storing an incomplete decision record for "checkout"',
      'VWO: not storing an incomplete decision record for "search"',
    ]);
    // An experiment record needs no rollout variation.
    const experimentOnly = record('checkout', { rolloutVariationId: undefined, experimentKey: 'checkout_t', experimentId: 2, experimentVariationId: 1 });
    state.write(experimentOnly);
    expect(state.writes).toEqual([experimentOnly]);
    expect(NO_WRITES).toHaveLength(0);
  });

  it('drops it without a logger too', () => {
    const snapshot = compileSettings(doc()) as CompiledSnapshot;
    const state = new DecisionState(snapshot, 'checkout', { id: 'alice' }, 'alice', 'alice', none, undefined, undefined);
    state.write(record('checkout', { rolloutVariationId: undefined }));
    expect(state.writes).toHaveLength(0);
  });
});

describe('DecisionState: impressions', () => {
  it('carry the decided feature id, and the holdout mark only for holdouts', () => {
    const state = stateFor();
    state.featureId = 7;
    state.impression(70, 1);
    state.impression(900, 1, true);
    state.impression(71, 2);
    expect(state.impressions).toEqual([
      { campaignId: 70, variationId: 1, featureId: 7 },
      { campaignId: 900, variationId: 1, featureId: 7, isHoldout: true },
      { campaignId: 71, variationId: 2, featureId: 7 },
    ]);
    expect('isHoldout' in state.impressions[0]).toBe(false);
    expect(NO_IMPRESSIONS).toHaveLength(0);
  });

  it('a dev-mode user of a dev-mode account queues only the impressions sent even in dev mode', () => {
    const dev = stateFor({ devMode: true, context: { id: 'alice', isDevMode: true } as VWOUserContext });
    dev.impression(70, 1);
    dev.impression(900, 1, true, true);
    expect(dev.impressions.map((i) => i.campaignId)).toEqual([900]);
    const notDevUser = stateFor({ devMode: true });
    notDevUser.impression(70, 1);
    expect(notDevUser.impressions).toHaveLength(1);
    const notDevAccount = stateFor({ context: { id: 'alice', isDevMode: true } as VWOUserContext });
    notDevAccount.impression(70, 1);
    expect(notDevAccount.impressions).toHaveLength(1);
  });
});

describe('DecisionState: group winners and passed rollouts', () => {
  it('keeps a winner per group with Map semantics (SameValueZero), the first group and any other', () => {
    const state = stateFor();
    expect(state.groupWinner(1)).toBeUndefined();
    state.setGroupWinner(1, 'a');
    state.setGroupWinner(2, 'b');
    state.setGroupWinner(NaN, 'n');
    expect([state.groupWinner(1), state.groupWinner(2), state.groupWinner(NaN), state.groupWinner(3)]).toEqual(['a', 'b', 'n', undefined]);
    state.setGroupWinner(1, 'c');
    state.setGroupWinner(2, 'd');
    expect([state.groupWinner(1), state.groupWinner(2)]).toEqual(['c', 'd']);

    const nanFirst = stateFor();
    nanFirst.setGroupWinner(NaN, 'n');
    nanFirst.setGroupWinner(-0, 'z');
    expect([nanFirst.groupWinner(NaN), nanFirst.groupWinner(0), nanFirst.groupWinner(1)]).toEqual(['n', 'z', undefined]);
  });

  it("tells the decided feature's passed rollout apart from other features'", () => {
    const state = stateFor();
    expect([state.rolloutPassed('checkout'), state.rolloutPassed('search')]).toEqual([false, false]);
    state.markRolloutPassed('search');
    expect([state.rolloutPassed('checkout'), state.rolloutPassed('search'), state.rolloutPassed('other')]).toEqual([false, true, false]);
    state.markRolloutPassed('other');
    state.markRolloutPassed('search');
    state.markRolloutPassed('checkout');
    expect([state.rolloutPassed('checkout'), state.rolloutPassed('search'), state.rolloutPassed('other')]).toEqual([true, true, true]);
  });
});

describe('DecisionState: what segments read besides the variables', () => {
  const gateway = { location: { country: 'India' } } as GatewayUserData;
  const vwo = { location: { country: 'US' } } as GatewayUserData;
  const wingify = { location: { country: 'DE' } } as GatewayUserData;

  it('the user agent, IP and platform variables of the context', () => {
    const context = { id: 'alice', userAgent: 'UA', ipAddress: '10.0.0.1', platformVariables: { webTestingCampaigns: { 1: 2 } } } as VWOUserContext;
    const env = stateFor({ context }).env();
    expect([env.userAgent, env.ipAddress, env.platformVariables]).toEqual(['UA', '10.0.0.1', { webTestingCampaigns: { 1: 2 } }]);
  });

  it('user details: the context’s _vwo, else its _wingify, else what the gateway gave', () => {
    const options = { gateway };
    expect(stateFor({ options, context: { id: 'a', _vwo: vwo, _wingify: wingify } as VWOUserContext }).gateway).toBe(vwo);
    expect(stateFor({ options, context: { id: 'a', _wingify: wingify } as VWOUserContext }).gateway).toBe(wingify);
    expect(stateFor({ options }).gateway).toBe(gateway);
    expect(stateFor().gateway).toBeUndefined();
  });

  it('list checks come from the options', () => {
    const inList = (): boolean => true;
    expect(stateFor({ options: { inList } }).inList).toBe(inList);
    expect(stateFor().inList).toBeUndefined();
  });

  it("featureId segments: 'on' when the feature has a non-empty stored record, 'off' otherwise, 'unknown' for no such feature", () => {
    const stored = (k: string): StoredRecord | undefined => (k === 'search' ? record('search') : k === 'checkout' ? ({} as StoredRecord) : undefined);
    const state = stateFor({ stored });
    expect([state.featureIdState(8), state.featureIdState(7), state.featureIdState(99)]).toEqual(['on', 'off', 'unknown']);
    const fresh = stateFor();
    expect(fresh.featureIdState(8)).toBe('off');
    fresh.write(record('search'));
    expect(fresh.featureIdState(8)).toBe('on');
  });
});

describe('DecisionState: lookups', () => {
  it('a stored variation exists only while its campaign and variation are in the settings', () => {
    const state = stateFor();
    expect(state.storedVariation('checkout_r', 1)?.id).toBe(1);
    expect(state.storedVariation('checkout_r', 2)).toBeUndefined();
    expect(state.storedVariation('gone', 1)).toBeUndefined();
  });

  it("the user's VWO UUID, derived from the user id and the account", () => {
    const state = stateFor();
    expect(state.uuid()).toBe(getUUID('alice', 12345));
    expect(state.uuid()).toBe(state.uuid());
  });
});
