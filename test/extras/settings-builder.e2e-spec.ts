import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SettingsBuilder } from '../../lib/testing';
import { VWOModule } from '../../lib/vwo.module';
import { VWOService } from '../../lib/vwo.service';

/** Real engine decisions on built settings, as a user's test would get them through VWOModule offline. */
describe('SettingsBuilder documents under VWOModule (real decisions, offline)', () => {
  let app: INestApplication;
  let vwo: VWOService;
  const USERS = Array.from({ length: 2000 }, (_, i) => `user-${i}`);

  beforeAll(async () => {
    const settings = new SettingsBuilder({ accountId: 654321 })
      .flag('everyone', { enabled: true, variables: { title: 'Hello', limit: 3 } })
      .flag('nobody', { enabled: false })
      .feature('partial', (f) => f.rollout({ percent: 30 }))
      .feature('ab', (f) =>
        f.rollout({ variables: { color: 'grey' } }).testing({
          variations: [
            { name: 'blue', variables: { color: 'blue' } },
            { name: 'red', variables: { color: 'red' } },
          ],
        }),
      )
      .feature('pro', (f) => f.rollout({ segments: { or: [{ custom_variable: { plan: 'pro' } }] } }))
      .feature('qa', (f) =>
        f.rollout({ variables: { banner: 'none' } }).testing({
          percentTraffic: 0,
          variations: [{ variables: { banner: 'control' } }, { variables: { banner: 'qa' }, whitelist: { or: [{ user: 'qa-1, qa-2' }] } }],
        }),
      )
      .build();
    const moduleRef = await Test.createTestingModule({ imports: [VWOModule.forRoot({ accountId: 654321, settings })] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    vwo = app.get(VWOService);
  });

  afterAll(() => app.close());

  const share = async (featureKey: string, test: (flag: Awaited<ReturnType<VWOService['getFlag']>>) => boolean) => {
    let hits = 0;
    for (const id of USERS) if (test(await vwo.getFlag(featureKey, { id }))) hits += 1;
    return hits / USERS.length;
  };

  it('a 100% rollout is on for everyone, with its variables; a feature without rules is off', async () => {
    expect(await share('everyone', (f) => f.isEnabled() && f.getVariable<string>('title', '') === 'Hello' && f.getVariable<number>('limit', 0) === 3)).toBe(1);
    expect(await share('nobody', (f) => f.isEnabled())).toBe(0);
  });

  it('a 30% rollout lets in about 30% of users, always the same ones', async () => {
    const first = await share('partial', (f) => f.isEnabled());
    expect(first).toBeGreaterThan(0.27);
    expect(first).toBeLessThan(0.33);
    expect(await share('partial', (f) => f.isEnabled())).toBe(first);
  });

  it('a 50/50 test splits users evenly, its variables replacing the rollout’s', async () => {
    const blue = await share('ab', (f) => f.getVariable<string>('color', '') === 'blue' && f.experiment?.variationName === 'blue');
    const red = await share('ab', (f) => f.getVariable<string>('color', '') === 'red' && f.experiment?.variationName === 'red');
    expect(blue + red).toBe(1);
    expect(blue).toBeGreaterThan(0.46);
    expect(blue).toBeLessThan(0.54);
  });

  // Different users: decisions are sticky (the default in-memory storage remembers u1's).
  it('segments target custom variables', async () => {
    expect((await vwo.getFlag('pro', { id: 'u1', customVariables: { plan: 'pro' } })).isEnabled()).toBe(true);
    expect((await vwo.getFlag('pro', { id: 'u2', customVariables: { plan: 'free' } })).isEnabled()).toBe(false);
  });

  it('whitelists force listed users into their variation, past a 0% test', async () => {
    expect((await vwo.getFlag('qa', { id: 'qa-2' })).getVariable('banner', '')).toBe('qa');
    expect((await vwo.getFlag('qa', { id: 'someone' })).getVariable('banner', '')).toBe('none');
  });
});
