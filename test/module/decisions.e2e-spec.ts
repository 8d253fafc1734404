import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { runWithUserContext } from '../../lib/context/request-context';
import type { StoredRecord } from '../../lib/engine/types';
import { VWOMemoryStorage } from '../../lib/storage/memory-storage';
import type { VWOStorage } from '../../lib/storage/vwo-storage.interface';
import { VWO_STORAGE } from '../../lib/vwo.constants';
import { VWOModule } from '../../lib/vwo.module';
import { VWOService } from '../../lib/vwo.service';
import { bootVWO, BootedApp } from './helpers/boot';
import { CaptureLogger } from './helpers/capture-logger';
import { shopSettings } from './helpers/shop-settings.fixture';
import { BUSY_MACHINE_SLACK_MS, EVENTUALLY_MS, waitUntil } from './helpers/wait-until';

/** Offline options (no network): decisions come from the embedded settings. */
const offline = (extra: object = {}) => ({ settings: shopSettings({ headline: 'offline' }), ...extra });

describe('VWOService decisions: storage, integrations, user context', () => {
  let booted: BootedApp | undefined;
  let log: CaptureLogger;

  beforeEach(() => (log = new CaptureLogger()));
  afterEach(async () => {
    await booted?.app.close();
    booted = undefined;
  });

  it('has no storage by default, as VWO\'s SDKs: nothing is stored, the same user gets the same answer by hashing', async () => {
    booted = await bootVWO(offline());
    expect(booted.app.get(VWO_STORAGE)).toBeNull();
    const first = await booted.vwo.getFlag('new-checkout', { id: 'user-1' });
    const again = await booted.vwo.getFlag('new-checkout', { id: 'user-1' });
    expect(first.isEnabled()).toBe(true);
    expect(again.getVariables()).toEqual(first.getVariables());
  });

  it.each([
    ["storage: 'memory'", 'memory' as const],
    ['storage: VWOMemoryStorage (a class Nest constructs)', VWOMemoryStorage],
    ['storage: new VWOMemoryStorage()', new VWOMemoryStorage()],
  ])('decides from the snapshot, writes the decision to the in-memory storage with %s', async (_label, memory) => {
    booted = await bootVWO(offline({ storage: memory }));
    const flag = await booted.vwo.getFlag('new-checkout', { id: 'user-1' });
    expect(flag.isEnabled()).toBe(true);
    expect(flag.getVariable('headline', 'none')).toBe('offline');
    const storage = booted.app.get<VWOStorage>(VWO_STORAGE);
    expect(storage).toBeInstanceOf(VWOMemoryStorage);
    await waitUntil(async () => !!(await storage.get('new-checkout', 'user-1')), EVENTUALLY_MS);
    expect(await storage.get('new-checkout', 'user-1')).toMatchObject({ featureKey: 'new-checkout', userId: 'user-1', featureId: 1, rolloutId: 1 });
  });

  it('a storage that throws or rejects never fails a decision: logged, decided without it', async () => {
    const broken: VWOStorage = {
      get: () => null,
      set: () => Promise.reject(new Error('redis down (set)')),
    };
    booted = await bootVWO(offline({ storage: broken, logger: { level: 'WARN', transport: log } }));
    const flag = await booted.vwo.getFlag('new-checkout', { id: 'user-1' });
    expect(flag.isEnabled()).toBe(true);
    expect(flag.getVariable('headline', 'none')).toBe('offline');
    await waitUntil(() => log.matching(/Storage write .* failed.*redis down \(set\)/, 'WARN').length === 1, EVENTUALLY_MS);
  });

  it('a get that throws: decided without storage, and the decision is not written over the unread record', async () => {
    const set = jest.fn();
    const broken: VWOStorage = {
      get: () => {
        throw new Error('redis down (get)');
      },
      set,
    };
    booted = await bootVWO(offline({ storage: broken, logger: { level: 'WARN', transport: log } }));
    const flag = await booted.vwo.getFlag('new-checkout', { id: 'user-1' });
    expect(flag.isEnabled()).toBe(true);
    expect(log.matching(/Storage read .* failed; deciding without it.*redis down \(get\)/, 'WARN')).toHaveLength(1);
    expect(log.matching(/not saving the decision of "new-checkout"/, 'WARN')).toHaveLength(1);
    expect(set).not.toHaveBeenCalled();
  });

  it('a storage that rejects asynchronously or hangs is bounded by storageTimeout', async () => {
    const hanging: VWOStorage = { get: () => new Promise(() => undefined), set: async () => undefined };
    booted = await bootVWO(offline({ storage: hanging, storageTimeout: 50, logger: { level: 'WARN', transport: log } }));
    const started = Date.now();
    const flag = await booted.vwo.getFlag('new-checkout', { id: 'user-1' });
    // The read never answers: without the bound the decision would never come (room for a busy machine on top).
    expect(Date.now() - started).toBeLessThan(50 + BUSY_MACHINE_SLACK_MS);
    expect(flag.isEnabled()).toBe(true);
    expect(log.matching(/took over 50 ms; deciding without it/, 'WARN')).toHaveLength(1);
  });

  it('storage warnings are rate-limited under load', async () => {
    const broken: VWOStorage = { get: () => Promise.reject(new Error('down')), set: async () => undefined };
    booted = await bootVWO(offline({ storage: broken, logger: { level: 'WARN', transport: log } }));
    await Promise.all(Array.from({ length: 50 }, (_, i) => booted!.vwo.getFlag('new-checkout', { id: `u${i}` })));
    expect(log.matching(/Storage read/, 'WARN')).toHaveLength(1);
  });

  it('storage: false skips storage entirely', async () => {
    booted = await bootVWO(offline({ storage: false }));
    expect(booted.app.get(VWO_STORAGE)).toBeNull();
    expect((await booted.vwo.getFlag('new-checkout', { id: 'user-1' })).isEnabled()).toBe(true);
  });

  it('a storage class is constructed by Nest with its own dependencies (from the module imports)', async () => {
    const records: StoredRecord[] = [];
    @Injectable()
    class RecordSink {
      readonly records = records;
    }
    @Module({ providers: [RecordSink], exports: [RecordSink] })
    class SinkModule {}
    @Injectable()
    class SinkStorage implements VWOStorage {
      constructor(private readonly sink: RecordSink) {}
      get(): null {
        return null;
      }
      set(record: StoredRecord): void {
        this.sink.records.push(record);
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [VWOModule.forRootAsync({ imports: [SinkModule], useFactory: () => offline({ storage: SinkStorage }) })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    expect(app.get(VWO_STORAGE)).toBeInstanceOf(SinkStorage);
    await app.get(VWOService).getFlag('new-checkout', { id: 'user-9' });
    expect(records).toEqual([expect.objectContaining({ featureKey: 'new-checkout', userId: 'user-9' })]);
    await app.close();
  });

  it('the integrations callback gets the decision properties of every getFlag', async () => {
    const calls: Record<string, unknown>[] = [];
    booted = await bootVWO(offline({ storage: false, integrations: { callback: (p: Record<string, unknown>) => calls.push(p) } }));
    await booted.vwo.getFlag('new-checkout', { id: 'user-1', customVariables: { plan: 'pro' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      featureName: 'New checkout',
      featureId: 1,
      featureKey: 'new-checkout',
      userId: 'user-1',
      api: 'getFlag',
      isUserPartOfCampaign: true,
      rolloutId: 1,
      rolloutKey: 'new-checkout_rollout',
      rolloutVariationId: 1,
    });
  });

  it('a callback that throws is logged and changes nothing', async () => {
    const callback = jest.fn(() => {
      throw new Error('analytics exploded');
    });
    booted = await bootVWO(offline({ integrations: { callback }, logger: { transport: log } }));
    const flag = await booted.vwo.getFlag('new-checkout', { id: 'user-1' });
    expect(callback).toHaveBeenCalledTimes(1);
    expect(flag.isEnabled()).toBe(true);
    expect(flag.getVariable('headline', 'none')).toBe('offline');
    expect(log.matching(/integrations callback failed: analytics exploded/, 'ERROR')).toHaveLength(1);
  });

  it('without a context, getFlag uses the current request user, else a disabled INVALID_CONTEXT flag', async () => {
    booted = await bootVWO(offline());
    const vwo = booted.vwo;
    const none = await vwo.getFlag('new-checkout');
    expect(none.isEnabled()).toBe(false);
    expect(none.reason).toBe('INVALID_CONTEXT');
    const inRequest = await runWithUserContext({ id: 'user-2' }, () => vwo.getFlag('new-checkout'));
    expect(inRequest.isEnabled()).toBe(true);
  });

  it('bad input never throws: empty key, missing id, unknown feature', async () => {
    booted = await bootVWO(offline());
    expect((await booted.vwo.getFlag('', { id: 'u' })).reason).toBe('INVALID_FEATURE_KEY');
    expect((await booted.vwo.getFlag('new-checkout', { id: '' })).reason).toBe('INVALID_CONTEXT');
    const unknown = await booted.vwo.getFlag('no-such-feature', { id: 'u' });
    expect(unknown.isEnabled()).toBe(false);
    expect(unknown.getVariable('headline', 'default')).toBe('default');
  });

  it('trackEvent accepts metrics of the settings only; setAttribute validates its values', async () => {
    booted = await bootVWO(offline({ logger: { transport: log } }));
    expect(await booted.vwo.trackEvent('nope', { id: 'u' })).toEqual({ nope: false });
    expect(log.matching(/trackEvent\("nope"\) skipped: it is not a metric/, 'ERROR')).toHaveLength(1);
    expect(await booted.vwo.trackEvent('purchase')).toEqual({ purchase: false });
    await booted.vwo.setAttribute({ plan: { nested: true } } as never, { id: 'u' });
    expect(log.matching(/setAttribute skipped: attribute "plan" must be a string, number or boolean/, 'ERROR')).toHaveLength(1);
  });

  it('forRoot with isGlobal makes VWOService injectable in other modules; useClass options work', async () => {
    @Injectable()
    class OptionsFactory {
      createVWOOptions() {
        return offline();
      }
    }
    @Injectable()
    class Consumer {
      constructor(readonly vwo: VWOService) {}
    }
    @Module({ providers: [Consumer] })
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({ imports: [VWOModule.forRootAsync({ useClass: OptionsFactory }), FeatureModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const consumer = app.get(Consumer);
    expect((await consumer.vwo.getFlag('new-checkout', { id: 'x' })).isEnabled()).toBe(true);
    await app.close();
  });
});
