import { FakeResponse, FakeVwoServer } from '../support/fake-vwo-server';
import { bootVWO, BootedApp, fakeServerOptions } from './helpers/boot';
import { CaptureLogger } from './helpers/capture-logger';
import { shopSettings } from './helpers/shop-settings.fixture';
import { BUSY_MACHINE_SLACK_MS } from './helpers/wait-until';
import { DEFAULT_GATEWAY_TIMEOUT_MS } from '../../lib/vwo.constants';

describe('gateway user details inside getFlag', () => {
  let server: FakeVwoServer;
  let booted: BootedApp | undefined;
  const user = { id: 'user-1', ipAddress: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11)' };

  beforeEach(async () => {
    server = await new FakeVwoServer().start();
    server.settings = shopSettings({ segments: { and: [{ country: 'IN' }] } });
  });
  afterEach(async () => {
    await booted?.app.close();
    booted = undefined;
    await server.stop();
  });

  it('fetches location from the gateway when the feature needs it, and decides with it', async () => {
    server.on('/get-user-details', { body: { location: { country: 'IN', city: 'Pune' }, userAgent: {} } });
    booted = await bootVWO(fakeServerOptions(server.url, { gatewayService: { url: server.url } }));
    const flag = await booted.vwo.getFlag('new-checkout', user);
    expect(flag.isEnabled()).toBe(true);
    const [lookup] = server.requestsTo('/get-user-details');
    expect(lookup).toBeDefined();
    expect(lookup!.query.get('ipAddress')).toBe(user.ipAddress);
    expect(lookup!.query.get('userAgent')).toBe(user.userAgent);
    expect(lookup!.query.get('accountId')).toBe('123456');
  });

  it('skips the lookup when the context carries _vwo data', async () => {
    booted = await bootVWO(fakeServerOptions(server.url, { gatewayService: { url: server.url } }));
    const flag = await booted.vwo.getFlag('new-checkout', { ...user, _vwo: { location: { country: 'IN' } } });
    expect(flag.isEnabled()).toBe(true);
    expect(server.requestsTo('/get-user-details')).toHaveLength(0);
  });

  it('a failing gateway is logged and the decision goes on without its data', async () => {
    const log = new CaptureLogger();
    server.on('/get-user-details', { status: 500 });
    booted = await bootVWO(fakeServerOptions(server.url, { gatewayService: { url: server.url }, logger: { level: 'WARN', transport: log } }));
    const flag = await booted.vwo.getFlag('new-checkout', user);
    expect(flag.isEnabled()).toBe(false);
    expect(log.matching(/Gateway user details could not be fetched/, 'WARN')).toHaveLength(1);
  });

  it('asks no list question for a feature without inlist segments', async () => {
    server.on('/get-user-details', { body: { location: { country: 'IN' }, userAgent: {} } });
    booted = await bootVWO(fakeServerOptions(server.url, { gatewayService: { url: server.url } }));
    await booted.vwo.getFlag('new-checkout', { ...user, customVariables: { email: 'in@example.com' } });
    expect(server.requestsTo('/check-attribute')).toHaveLength(0);
  });
});

describe('inlist(<listId>) segments inside getFlag', () => {
  let server: FakeVwoServer;
  let booted: BootedApp | undefined;
  const member = 'in+list@example.com';
  const userWith = (email: unknown) => ({ id: 'user-1', customVariables: { email } });
  const bootWithGateway = async (transport?: CaptureLogger): Promise<BootedApp> =>
    (booted = await bootVWO(
      fakeServerOptions(server.url, { gatewayService: { url: server.url }, ...(transport ? { logger: { level: 'WARN', transport } } : {}) }),
    ));
  /** The gateway's list "list1" holds `member` only; a non-member is answered with `nonMember`. */
  const listAnswers = (nonMember: unknown) =>
    server.on('/check-attribute', (req): FakeResponse => ({
      body: req.query.get('listId') === 'list1' && req.query.get('attribute') === member ? true : nonMember,
    }));

  beforeEach(async () => {
    server = await new FakeVwoServer().start();
    server.settings = shopSettings({ segments: { or: [{ custom_variable: { email: 'inlist(list1)' } }] } });
  });
  afterEach(async () => {
    await booted?.app.close();
    booted = undefined;
    await server.stop();
  });

  it('enables the flag for a list member, asking the gateway with the value, list and account', async () => {
    listAnswers(false);
    const { vwo } = await bootWithGateway();
    const flag = await vwo.getFlag('new-checkout', userWith(member));
    expect(flag.isEnabled()).toBe(true);
    const checks = server.requestsTo('/check-attribute');
    expect(checks).toHaveLength(1);
    expect(checks[0]!.method).toBe('GET');
    expect(checks[0]!.query.get('attribute')).toBe(member);
    expect(checks[0]!.query.get('listId')).toBe('list1');
    expect(checks[0]!.query.get('accountId')).toBe('123456');
    // "+" would read as a space if it were sent raw.
    expect(checks[0]!.rawQuery).toContain('attribute=in%2Blist%40example.com');
  });

  it.each([
    ['false', false],
    ['the string "false"', JSON.stringify('false')],
    ['{ status: 0 }', { status: 0 }],
  ])('disables the flag when the gateway answers %s', async (_label, answer) => {
    listAnswers(answer);
    const { vwo } = await bootWithGateway();
    const flag = await vwo.getFlag('new-checkout', userWith('out@example.com'));
    expect(flag.isEnabled()).toBe(false);
    expect(server.requestsTo('/check-attribute')).toHaveLength(1);
  });

  it('asks nothing when the variable is absent, and the check fails', async () => {
    listAnswers(false);
    const { vwo } = await bootWithGateway();
    const flag = await vwo.getFlag('new-checkout', { id: 'user-1', customVariables: { plan: 'pro' } });
    expect(flag.isEnabled()).toBe(false);
    expect(server.requestsTo('/check-attribute')).toHaveLength(0);
  });

  it('passes the value as the evaluator stringifies it (numbers)', async () => {
    server.on('/check-attribute', (req): FakeResponse => ({ body: req.query.get('attribute') === '42' }));
    const { vwo } = await bootWithGateway();
    expect((await vwo.getFlag('new-checkout', userWith(42))).isEnabled()).toBe(true);
  });

  it('without a gateway nobody is in a list and nothing is asked', async () => {
    listAnswers(false);
    booted = await bootVWO(fakeServerOptions(server.url));
    const flag = await booted.vwo.getFlag('new-checkout', userWith(member));
    expect(flag.isEnabled()).toBe(false);
    expect(server.requestsTo('/check-attribute')).toHaveLength(0);
  });

  it('a failing list check is a warning and "not a member"; the next decisions still work', async () => {
    const log = new CaptureLogger();
    listAnswers(false);
    server.sequence('/check-attribute', [500]);
    const { vwo } = await bootWithGateway(log);
    expect((await vwo.getFlag('new-checkout', userWith(member))).isEnabled()).toBe(false);
    expect(log.matching(/list check for list "list1" failed/, 'WARN')).toHaveLength(1);
    expect((await vwo.getFlag('new-checkout', userWith(member))).isEnabled()).toBe(true);
  });

  it('asks about the list in parallel with the user details', async () => {
    server.settings = shopSettings({ segments: { and: [{ country: 'IN' }, { custom_variable: { email: 'inlist(list1)' } }] } });
    // Neither question is answered before both were asked: asked one after the other, the first would time out.
    const bothAsked = server.waitFor((requests) => ['/get-user-details', '/check-attribute'].every((path) => requests.some((r) => r.path === path)), 60_000);
    server.on('/get-user-details', { body: { location: { country: 'IN' }, userAgent: {} }, after: bothAsked });
    server.on('/check-attribute', { body: true, after: bothAsked });
    const { vwo } = await bootWithGateway();
    const flag = await vwo.getFlag('new-checkout', userWith(member));
    expect(flag.isEnabled()).toBe(true);
  });

  it('a hanging gateway costs at most the gateway timeout', async () => {
    server.on('/check-attribute', { hang: true });
    const { vwo } = await bootWithGateway(new CaptureLogger());
    const started = Date.now();
    const flag = await vwo.getFlag('new-checkout', userWith(member));
    const elapsed = Date.now() - started;
    expect(flag.isEnabled()).toBe(false);
    expect(elapsed).toBeLessThan(DEFAULT_GATEWAY_TIMEOUT_MS + BUSY_MACHINE_SLACK_MS);
  });
});
