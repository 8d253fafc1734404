/**
 * One server-like process of telemetry.bench.ts, in one of four OpenTelemetry situations (TELEMETRY_BENCH_MODE):
 *   absent     `@opentelemetry/api` cannot be resolved (as in an app that does not install it)
 *   no-sdk     the API is installed, no SDK registered
 *   sdk, off   an SDK with in-memory exporters, and the module option `telemetry: { enabled: false }`
 *   sdk        an SDK with in-memory exporters: span events and metrics recorded
 * Everything is loaded after the mode is set up, so the absent mode never sees the package.
 */
import Module from 'node:module';

export const MODES = ['absent', 'no-sdk', 'sdk, off', 'sdk'] as const;
export type Mode = (typeof MODES)[number];
export const OPS = ['getFlag', 'guarded request', 'request span alone'] as const;
export type Op = (typeof OPS)[number];
/** CPU µs per call, by op, for one window. */
export type Window = Record<Op, number>;
export interface Ready {
  ready: true;
  telemetryActive: boolean;
  openTelemetryLoaded: boolean;
}

const WINDOW_MS = 150;
const USERS = 10_000;
const FLAG = 'everyone';

function hideOpenTelemetry(): void {
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]): string {
    if (request.startsWith('@opentelemetry/')) throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
    return resolve.call(this, request, ...rest);
  };
}

/** What an app's tracing setup does: the SDK with exporters that keep spans and metrics in memory. */
function registerSdk(): { reset(): void } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const traceSdk = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const metricsSdk = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const spans = new traceSdk.InMemorySpanExporter();
  const metricExporter = new metricsSdk.InMemoryMetricExporter(metricsSdk.AggregationTemporality.CUMULATIVE);
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(new traceSdk.BasicTracerProvider({ spanProcessors: [new traceSdk.SimpleSpanProcessor(spans)] }));
  const reader = new metricsSdk.PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 1000 });
  api.metrics.setGlobalMeterProvider(new metricsSdk.MeterProvider({ readers: [reader] }));
  return { reset: () => (spans.reset(), metricExporter.reset()) };
}

function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** CPU µs per call of `op` over about WINDOW_MS, awaited one at a time. */
async function cpuPerCall(op: (i: number) => unknown): Promise<number> {
  const deadline = performance.now() + WINDOW_MS;
  const start = cpuUs();
  let i = 0;
  while (performance.now() < deadline) {
    for (let k = 0; k < 256; k++) await op(i++);
  }
  return (cpuUs() - start) / i;
}

async function main(mode: Mode): Promise<void> {
  if (mode === 'absent') hideOpenTelemetry();
  const sdk = mode.startsWith('sdk') ? registerSdk() : undefined;
  const { Controller, Get } = await import('@nestjs/common');
  const { NestFactory, Reflector } = await import('@nestjs/core');
  const { ExecutionContextHost } = await import('@nestjs/core/helpers/execution-context-host');
  const { FeatureFlag, FeatureFlagGuard } = await import('../../lib/http');
  const { VWOTelemetry } = await import('../../lib/telemetry');
  const { VWO_HTTP_CONFIG } = await import('../../lib/vwo.internal-constants');
  const { VWOModule } = await import('../../lib/vwo.module');
  const { VWOService } = await import('../../lib/vwo.service');
  const { vwoTestOptions } = await import('../../test/http/support/http-test-app');

  @Controller()
  class BenchController {
    @FeatureFlag(FLAG)
    @Get('feature')
    feature(): void {}
  }
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const options = vwoTestOptions({ logger: { level: 'ERROR', transport: silent }, ...(mode === 'sdk, off' ? { telemetry: { enabled: false } } : {}) });
  const app = await NestFactory.createApplicationContext(VWOModule.forRoot(options), { logger: false });
  const vwo = app.get(VWOService);
  const guard = new FeatureFlagGuard(app.get(Reflector), vwo, app.get(VWO_HTTP_CONFIG));
  const httpContext = (i: number) => {
    const request = { method: 'GET', url: '/feature', headers: { 'x-vwo-user-id': `user-${i % USERS}`, 'user-agent': 'bench' }, ip: '127.0.0.1' };
    const ctx = new ExecutionContextHost([request, { writableEnded: false, destroyed: false }, () => undefined], BenchController as never, BenchController.prototype.feature);
    ctx.setType('http');
    return ctx;
  };
  // With an SDK, a request runs inside its span, as HTTP instrumentation would make it.
  let inSpan = (work: () => unknown): unknown => work();
  if (sdk) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { context, trace } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
    const tracer = trace.getTracer('bench-http');
    inSpan = async (work) => {
      const span = tracer.startSpan('GET /feature');
      await context.with(trace.setSpan(context.active(), span), work);
      span.end();
    };
  }
  const ops: Record<Op, (i: number) => unknown> = {
    getFlag: (i) => vwo.getFlag(FLAG, { id: `user-${i % USERS}` }),
    'guarded request': (i) => inSpan(() => guard.canActivate(httpContext(i))),
    'request span alone': (i) => inSpan(() => httpContext(i)),
  };
  const ready: Ready = {
    ready: true,
    telemetryActive: app.get(VWOTelemetry).active,
    openTelemetryLoaded: Object.keys(require.cache).some((file) => file.includes('@opentelemetry')),
  };
  process.send?.(ready);
  process.on('message', (order: Op[]) => {
    void (async () => {
      const window = {} as Window;
      for (const op of order) {
        window[op] = await cpuPerCall(ops[op]);
        sdk?.reset();
      }
      process.send?.(window);
    })();
  });
  process.once('disconnect', () => void app.close().finally(() => process.exit(0)));
}

export function runChild(mode: Mode): void {
  main(mode).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
