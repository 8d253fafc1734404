import type { INestApplication } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { VWO_METRICS } from '../../lib/telemetry';
import { VWOService } from '../../lib/vwo.service';
import { OtelTestKit, eventually } from './support/otel-test-kit';
import { createTelemetryTestApp, type AdapterName } from './support/telemetry-test-app';

const USER = 'x-vwo-user-id';
const kit = new OtelTestKit().register();
afterAll(() => kit.shutdown());

/** The finished span of the request for `path` (the test middleware names it "GET <path>"). */
function spanOf(path: string): Promise<ReadableSpan> {
  return spanNamed(`GET ${path}`);
}

async function spanNamed(name: string): Promise<ReadableSpan> {
  return eventually(
    () => kit.finishedSpans().find((s) => s.name === name),
    (span) => span !== undefined,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; spans: ${kit.finishedSpans().map((s) => s.name).join(', ')}`);
  }) as Promise<ReadableSpan>;
}

function evaluations(span: ReadableSpan) {
  return span.events.filter((e) => e.name === 'feature_flag.evaluation').map((e) => e.attributes ?? {});
}

describe.each(['express', 'fastify'] as AdapterName[])('feature_flag.evaluation span events on %s', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    // The in-memory store, for the decision served from storage ('cached') below.
    app = await createTelemetryTestApp(adapter, { storage: 'memory' });
  });
  afterAll(() => app.close());
  beforeEach(() => kit.spanExporter.reset());

  it('a guarded request carries exactly one event for its flag, with the convention attributes and no user id', async () => {
    const res = await request(app.getHttpServer()).get('/checkout').set(USER, `${adapter}-alice`).expect(200);
    expect(res.body).toEqual({ variation: 'Treatment' });
    const events = evaluations(await spanOf('/checkout'));
    expect(events).toEqual([
      {
        'feature_flag.key': 'checkout',
        'feature_flag.provider.name': 'VWO',
        'feature_flag.result.variant': 'Treatment',
        'feature_flag.result.reason': 'split',
        'feature_flag.result.value': true,
        'vwo.reason': 'EXPERIMENT',
      },
    ]);
  });

  it("the same user's next request is served from storage: reason cached, same variant", async () => {
    const user = `${adapter}-returning`;
    await request(app.getHttpServer()).get('/checkout').set(USER, user).expect(200);
    kit.spanExporter.reset();
    await request(app.getHttpServer()).get('/checkout').set(USER, user).expect(200, { variation: 'Treatment' });
    expect(evaluations(await spanOf('/checkout'))).toEqual([
      expect.objectContaining({ 'feature_flag.result.reason': 'cached', 'feature_flag.result.variant': 'Treatment', 'vwo.reason': 'STORED_EXPERIMENT' }),
    ]);
  });

  it('one event per decided flag: the guard’s and each the handler asks for', async () => {
    await request(app.getHttpServer()).get('/home').set(USER, `${adapter}-bob`).expect(200, { banner: true, off: false });
    const events = evaluations(await spanOf('/home'));
    expect(events.map((e) => e['feature_flag.key']).sort()).toEqual(['banner', 'checkout', 'off']);
    const byKey = Object.fromEntries(events.map((e) => [e['feature_flag.key'], e]));
    expect(byKey.banner).toMatchObject({ 'feature_flag.result.reason': 'targeting_match', 'feature_flag.result.variant': 'Rollout-rule-1', 'vwo.reason': 'ROLLOUT' });
    expect(byKey.off).toMatchObject({ 'feature_flag.result.reason': 'default', 'feature_flag.result.value': false, 'vwo.reason': 'NO_RULE_MATCHED' });
    expect(byKey.off).not.toHaveProperty('feature_flag.result.variant');
    expect(events.every((e) => !('error.type' in e) && !('feature_flag.context.id' in e))).toBe(true);
  });

  it('a denied request records its decision too (then 404)', async () => {
    await request(app.getHttpServer()).get('/hidden').set(USER, `${adapter}-carol`).expect(404);
    expect(evaluations(await spanOf('/hidden'))).toEqual([expect.objectContaining({ 'feature_flag.key': 'off', 'feature_flag.result.reason': 'default' })]);
  });

  it('an unknown flag is an error (flag_not_found); a decision outside any span is counted, not attached', async () => {
    const vwo = app.get(VWOService);
    await trace.getTracer('test').startActiveSpan(`${adapter} job`, async (span) => {
      await vwo.getFlag('no-such-flag', { id: 'eve' });
      span.end();
    });
    expect(evaluations(await spanNamed(`${adapter} job`))).toEqual([
      expect.objectContaining({ 'feature_flag.key': 'no-such-flag', 'feature_flag.result.reason': 'error', 'error.type': 'flag_not_found', 'vwo.reason': 'FEATURE_NOT_FOUND' }),
    ]);
    const counted = { 'vwo.reason': 'FEATURE_NOT_FOUND', 'feature_flag.result.reason': 'error' };
    const before = await kit.sum(VWO_METRICS.decisions, counted);
    await vwo.getFlag('no-such-flag', { id: 'eve' });
    expect(await kit.sum(VWO_METRICS.decisions, counted)).toBe(before + 1);
    expect(kit.finishedSpans().flatMap(evaluations).filter((e) => e['feature_flag.key'] === 'no-such-flag')).toHaveLength(1);
  });

  it('counts decisions by reason', async () => {
    const before = await kit.sum(VWO_METRICS.decisions, { 'vwo.reason': 'EXPERIMENT' });
    for (const user of ['f', 'g', 'h']) await request(app.getHttpServer()).get('/checkout').set(USER, `${adapter}-${user}`).expect(200);
    expect(await kit.sum(VWO_METRICS.decisions, { 'vwo.reason': 'EXPERIMENT', 'feature_flag.result.reason': 'split' })).toBe(before + 3);
  });
});

describe('feature_flag.context.id', () => {
  let app: INestApplication | undefined;
  afterEach(() => app?.close());
  beforeEach(() => kit.spanExporter.reset());

  it('is the user id when the app opts in with telemetry.contextId', async () => {
    app = await createTelemetryTestApp('express', { telemetry: { contextId: true } });
    await request(app.getHttpServer()).get('/checkout').set(USER, 'opted-in-user').expect(200);
    expect(evaluations(await spanOf('/checkout'))).toEqual([expect.objectContaining({ 'feature_flag.context.id': 'opted-in-user' })]);
  });

  it('nothing is recorded with telemetry.enabled false', async () => {
    app = await createTelemetryTestApp('express', { telemetry: { enabled: false } });
    await request(app.getHttpServer()).get('/checkout').set(USER, 'quiet-user').expect(200);
    expect(evaluations(await spanOf('/checkout'))).toEqual([]);
  });

  it('what a closed module counted stays counted', async () => {
    const decided = { 'vwo.reason': 'EXPERIMENT' };
    app = await createTelemetryTestApp('express');
    await app.get(VWOService).getFlag('checkout', { id: 'closing-user' });
    const counted = await kit.sum(VWO_METRICS.decisions, decided);
    expect(counted).toBeGreaterThanOrEqual(1);
    await app.close();
    app = undefined;
    expect(await kit.sum(VWO_METRICS.decisions, decided)).toBe(counted);
  });

  it('an error decision carries error.type and the message', async () => {
    app = await createTelemetryTestApp('express', { settings: undefined, sdkKey: 'never-fetched-sdk-key-0000', proxyUrl: 'http://127.0.0.1:9', retryConfig: { shouldRetry: false } });
    await request(app.getHttpServer()).get('/checkout').set(USER, 'early-user').expect(404);
    expect(evaluations(await spanOf('/checkout'))).toEqual([
      expect.objectContaining({
        'feature_flag.key': 'checkout',
        'feature_flag.result.reason': 'error',
        'error.type': 'provider_not_ready',
        'feature_flag.error.message': 'settings are not available yet',
        'vwo.reason': 'SETTINGS_NOT_READY',
      }),
    ]);
  });
});
