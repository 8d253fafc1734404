import { FakeVwoServer } from '../support/fake-vwo-server';
import { bootVWO, BootedApp, fakeServerOptions } from './helpers/boot';
import { CaptureLogger } from './helpers/capture-logger';
import { shopSettings } from './helpers/shop-settings.fixture';

/** What a controller gets from `@Body()` through `ValidationPipe({ transform: true })`: a class instance. */
class PurchaseDto {
  amount = 42;
  currency = 'EUR';
  private readonly secretField?: string;
  get total(): number {
    return this.amount;
  }
}

const USER = { id: 'buyer-1' };

describe('trackEvent input', () => {
  let server: FakeVwoServer;
  let booted: BootedApp;
  let log: CaptureLogger;

  beforeEach(async () => {
    server = await new FakeVwoServer().start();
    server.settings = shopSettings();
    log = new CaptureLogger();
    booted = await bootVWO(fakeServerOptions(server.url, { logger: { transport: log } }));
    log.lines.length = 0;
  });

  afterEach(async () => {
    await booted.app.close();
    await server.stop();
  });

  /** The `props` of every custom event VWO received. */
  async function sentProps(): Promise<Array<Record<string, unknown>>> {
    await booted.vwo.flushEvents();
    return server.requests
      .flatMap((r) => ((r.json as { ev?: Array<{ d: { event: { name: string; props: Record<string, unknown> } } }> })?.ev ?? []))
      .filter((e) => e.d.event.name === 'purchase')
      .map((e) => e.d.event.props);
  }

  it('a Symbol or other non-string name resolves false with one line naming the problem', async () => {
    const symbol = Symbol('purchase');
    await expect(booted.vwo.trackEvent(symbol as unknown as string, USER)).resolves.toEqual({ 'Symbol(purchase)': false });
    await expect(booted.vwo.trackEvent(42 as unknown as string, USER)).resolves.toEqual({ 42: false });
    await expect(booted.vwo.trackEvent(Object.create(null) as string, USER)).resolves.toEqual({ '[object Object]': false });
    expect(log.lines).toHaveLength(3);
    expect(log.lines[0]!.message).toBe('trackEvent("Symbol(purchase)") skipped: eventName must be a non-empty string, not a symbol (Symbol(purchase)); event not sent');
  });

  it('a DTO class instance sends its own enumerable properties', async () => {
    const dto = new PurchaseDto();
    await expect(booted.vwo.trackEvent('purchase', USER, dto as unknown as Record<string, unknown>)).resolves.toEqual({ purchase: true });
    const [props] = await sentProps();
    expect(props).toMatchObject({ amount: 42, currency: 'EUR' });
    expect(props).not.toHaveProperty('total');
    expect(log.matching(/trackEvent/)).toHaveLength(0);
  });

  it.each([
    ['an array', () => [{ amount: 1 }], /properties must be an object of property names to values, not an array/],
    ['a circular object', () => { const o: Record<string, unknown> = { amount: 1 }; o.self = o; return o; }, /properties contain a circular reference/],
    ['a BigInt inside', () => ({ amount: 10n }), /properties cannot be sent as JSON \(.*BigInt/],
  ])('properties that are %s are refused with one line saying so', async (_kind, make, reason) => {
    await expect(booted.vwo.trackEvent('purchase', USER, make() as Record<string, unknown>)).resolves.toEqual({ purchase: false });
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]!.message).toMatch(reason);
    expect(log.lines[0]!.message).not.toMatch(/not a metric/);
    expect(await sentProps()).toHaveLength(0);
  });

  it('an unknown event is refused with one line', async () => {
    await expect(booted.vwo.trackEvent('nope', USER)).resolves.toEqual({ nope: false });
    expect(log.lines.map((l) => l.message)).toEqual(['trackEvent("nope") skipped: it is not a metric of any feature in the settings; event not sent']);
  });
});
