/**
 * User aliasing through a loopback fake of VWO's gateway service: the alias lookup before getFlag, trackEvent and
 * setAttribute, and setAlias.
 */
import { getUUID } from '../../lib/events/visitor-id';
import { VWOOptionsError } from '../../lib/vwo-options.error';
import type { FakeResponse, RecordedRequest } from '../support/fake-vwo-server';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import { bootVWO, BootedApp } from './helpers/boot';

const SDK_KEY = 'test-sdk-key-0123456789abcdef';
const LOOKUP = '/user-alias/getAliasUserId';
const SET_ALIAS = '/user-alias/setUserAlias';

describe('user aliasing through the gateway service', () => {
  const bed = fakeVwoBed();
  /** The fake gateway's alias table: aliasId → userId. */
  let aliases: Map<string, string>;

  const start = (extra: object = {}): Promise<BootedApp> =>
    bed.start({
      gatewayService: { url: bed.server.url },
      isAliasingEnabled: true,
      logger: { level: 'WARN', transport: bed.log },
      ...extra,
    });
  /** Answers the lookup as VWO's gateway does: one entry (ids as strings) per asked id that is a known alias. */
  const answerLookups = (req: RecordedRequest): FakeResponse => {
    const asked = (JSON.parse(req.query.get('userId') ?? '[]') as unknown[]).map(String);
    return { body: asked.filter((id) => aliases.has(id)).map((id) => ({ userId: aliases.get(id), aliasId: id })) };
  };
  const events = () => bed.server.requestsTo('/events/t').filter((r) => r.query.get('en') !== 'vwo_fmeSdkInit');

  beforeEach(() => {
    bed.server.on(LOOKUP, answerLookups);
    aliases = new Map([['anon-1', 'user-42']]);
  });

  it('refuses to start with aliasing on and no gateway, naming both options', async () => {
    const boot = bootVWO(bed.options({ isAliasingEnabled: true }));
    await expect(boot).rejects.toThrow(VWOOptionsError);
    await expect(bootVWO(bed.options({ isAliasingEnabled: true }))).rejects.toThrow(/isAliasingEnabled: needs gatewayService/);
  });

  it('getFlag decides for the user the alias belongs to, after asking the gateway as VWO does', async () => {
    const { vwo } = await start();
    const flag = await vwo.getFlag('new-checkout', { id: 'anon-1', userAgent: 'UA' });
    expect(flag.isEnabled()).toBe(true);
    expect(flag.decision.userId).toBe('user-42');
    const [lookup] = bed.server.requestsTo(LOOKUP);
    expect(lookup.method).toBe('GET');
    expect([...lookup.query.keys()]).toEqual(['accountId', 'sdkKey', 'userId']);
    expect(lookup.query.get('accountId')).toBe('123456');
    expect(lookup.query.get('sdkKey')).toBe(SDK_KEY);
    expect(lookup.query.get('userId')).toBe('["anon-1"]');
    // Behind a gateway impressions go one by one to /events/t: this one is the resolved user's.
    await bed.server.waitFor(() => events().length === 1);
    expect((events()[0].json as { d: { visId: string } }).d.visId).toBe(getUUID('user-42', '123456'));
  });

  it('an id that is no alias is used as it is; a numeric id matches only a numeric aliasId, as VWO compares', async () => {
    const { vwo } = await start();
    expect((await vwo.getFlag('new-checkout', { id: 'someone' })).decision.userId).toBe('someone');
    aliases.set('7', 'user-7');
    expect((await vwo.getFlag('new-checkout', { id: 7 })).decision.userId).toBe('7');
    expect(bed.server.requestsTo(LOOKUP).map((r) => r.query.get('userId'))).toEqual(['["someone"]', '[7]']);
  });

  it('trackEvent and setAttribute send their events as the resolved user', async () => {
    const { vwo } = await start();
    expect(await vwo.trackEvent('purchase', { id: 'anon-1' })).toEqual({ purchase: true });
    await vwo.setAttribute('plan', 'pro', { id: 'anon-1' });
    await bed.server.waitFor(() => events().length === 2);
    const visIds = events().map((r) => (r.json as { d: { visId: string } }).d.visId);
    expect(visIds).toEqual([getUUID('user-42', '123456'), getUUID('user-42', '123456')]);
    expect(bed.server.requestsTo(LOOKUP)).toHaveLength(2);
  });

  it('a failing lookup fails the call (disabled flag, false, nothing sent) instead of using the wrong user', async () => {
    bed.server.on(LOOKUP, { status: 500 });
    const { vwo } = await start();
    const flag = await vwo.getFlag('new-checkout', { id: 'anon-1' });
    expect(flag.isEnabled()).toBe(false);
    expect(flag.decision.reason).toBe('ERROR');
    expect(await vwo.trackEvent('purchase', { id: 'anon-1' })).toEqual({ purchase: false });
    await vwo.setAttribute('plan', 'pro', { id: 'anon-1' });
    bed.server.on(LOOKUP, { body: { unexpected: true } });
    expect((await vwo.getFlag('new-checkout', { id: 'anon-1' })).decision.message).toMatch(/not a list/);
    await vwo.flushEvents();
    expect(events()).toEqual([]);
    expect(bed.log.matching(/getFlag\("new-checkout"\) failed/, 'ERROR')).toHaveLength(2);
    expect(bed.log.matching(/trackEvent\("purchase"\) failed/, 'ERROR')).toHaveLength(1);
    expect(bed.log.matching(/setAttribute failed/, 'ERROR')).toHaveLength(1);
  });

  it('setAlias posts the mapping (query and JSON body), trimming the ids; a numeric id is used as String(id)', async () => {
    bed.server.on(SET_ALIAS, { body: { status: 'ok' } });
    const { vwo } = await start();
    expect(await vwo.setAlias({ id: 'user-42' }, ' anon-2 ')).toBe(true);
    expect(await vwo.setAlias(' user-43 ', 'anon-3')).toBe(true);
    // VWO's SDK fails here (it trims the id as a string); a numeric id is used as String(id).
    expect(await vwo.setAlias({ id: 44 }, 'anon-4')).toBe(true);
    const [first, second, third] = bed.server.requestsTo(SET_ALIAS);
    expect(first.method).toBe('POST');
    expect([...first.query.entries()]).toEqual([
      ['accountId', '123456'],
      ['sdkKey', SDK_KEY],
      ['userId', 'user-42'],
      ['aliasId', 'anon-2'],
    ]);
    expect(first.json).toEqual({ userId: 'user-42', aliasId: 'anon-2' });
    expect(second.json).toEqual({ userId: 'user-43', aliasId: 'anon-3' });
    expect(third.json).toEqual({ userId: '44', aliasId: 'anon-4' });
  });

  it('setAlias resolves false with a reason for bad ids and a failing gateway', async () => {
    bed.server.on(SET_ALIAS, { status: 500 });
    const { vwo } = await start();
    expect(await vwo.setAlias({ id: 'same' }, 'same')).toBe(false);
    expect(await vwo.setAlias({ id: 'u' }, '  ')).toBe(false);
    expect(await vwo.setAlias('', 'a')).toBe(false);
    expect(await vwo.setAlias({ id: ['u'] } as never, 'a')).toBe(false);
    expect(bed.server.requestsTo(SET_ALIAS)).toHaveLength(0);
    expect(await vwo.setAlias({ id: 'u' }, 'a')).toBe(false);
    expect(bed.server.requestsTo(SET_ALIAS)).toHaveLength(1);
    const reasons = bed.log.matching(/setAlias failed/, 'ERROR').map((l) => l.message);
    expect(reasons).toHaveLength(5);
    expect(reasons[0]).toMatch(/must differ/);
    expect(reasons[1]).toMatch(/aliasId must be a non-empty string/);
    expect(reasons[2]).toMatch(/must not be empty/);
    expect(reasons[3]).toMatch(/user id or a context with an id/);
  });

  it('without isAliasingEnabled nothing asks the gateway, and setAlias says how to turn it on', async () => {
    const { vwo } = await start({ isAliasingEnabled: false });
    expect((await vwo.getFlag('new-checkout', { id: 'anon-1' })).decision.userId).toBe('anon-1');
    expect(await vwo.setAlias({ id: 'u' }, 'a')).toBe(false);
    expect(bed.server.requestsTo('/user-alias')).toHaveLength(0);
    expect(bed.log.matching(/setAlias failed: aliasing is off: set isAliasingEnabled/, 'ERROR')).toHaveLength(1);
  });
});
