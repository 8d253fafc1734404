import { FakeVwoServer } from '../support/fake-vwo-server';
import { bootVWO, BootedApp, fakeServerOptions } from './helpers/boot';
import { CaptureLogger } from './helpers/capture-logger';
import { shopSettings } from './helpers/shop-settings.fixture';

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
});
