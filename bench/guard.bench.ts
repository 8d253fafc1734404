/**
 * HTTP cost of the @FeatureFlag guard: one Nest app per adapter (in a child process, so the load
 * generator does not share its event loop) serves the same handler three ways, loaded in turn with
 * autocannon on 127.0.0.1:
 *   plain     no guard
 *   feature   @FeatureFlag('everyone'): our guard + VWOService (real engine, memory storage, events queued)
 *   official  a guard around VWO's official Node SDK 1.35 (created offline), the same flag
 * Users rotate over 10 000 ids (header x-vwo-user-id), the flag is on for all of them (200s only).
 * Runs are interleaved (plain, feature, official, plain, …) so machine noise hits every case alike;
 * the table shows the median of the runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import {
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Inject,
  Injectable,
  Module,
  NotFoundException,
  UseGuards,
  type DynamicModule,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { FeatureFlag } from '../lib/http';
import { VWOModule } from '../lib/vwo.module';
import { httpTestSettings } from '../test/http/support/http-test-settings';
import { createOfficialSdk, type OfficialSdk } from './support/official-sdk';
import { median } from './support/stats';

const ADAPTERS = ['express', 'fastify'] as const;
type AdapterName = (typeof ADAPTERS)[number];
const CASES = ['plain', 'feature', 'official'] as const;
type CaseName = (typeof CASES)[number];

const DURATION_S = Number(process.env.GUARD_BENCH_SECONDS ?? 3);
const RUNS = Number(process.env.GUARD_BENCH_RUNS ?? 3);
const CONNECTIONS = 16;
const USERS = 10_000;
const FLAG = 'everyone';
const OFFICIAL_SDK = Symbol('OFFICIAL_SDK');
const SERVER_ENV = 'GUARD_BENCH_SERVER';

// ---- server side (child process) ----

/** The official SDK's getFlag behind the same fail-closed rule as ours (a user id from the header). */
@Injectable()
class OfficialFlagGuard implements CanActivate {
  constructor(@Inject(OFFICIAL_SDK) private readonly sdk: OfficialSdk) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const id = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['x-vwo-user-id'];
    if (!id || !(await this.sdk.client.getFlag(FLAG, { id })).isEnabled()) throw new NotFoundException();
    return true;
  }
}

const BODY = { ok: true };

@Controller()
class BenchController {
  @Get('plain')
  plain(): typeof BODY {
    return BODY;
  }

  @FeatureFlag(FLAG)
  @Get('feature')
  feature(): typeof BODY {
    return BODY;
  }

  @UseGuards(OfficialFlagGuard)
  @Get('official')
  official(): typeof BODY {
    return BODY;
  }
}

@Module({})
class BenchModule {
  static create(sdk: OfficialSdk): DynamicModule {
    return {
      module: BenchModule,
      imports: [
        VWOModule.forRoot({
          accountId: 123456,
          settings: httpTestSettings(),
          waitForSettings: 0,
          // Offline: nothing fetched; batches (every 5000 impressions) go to a closed local port.
          proxyUrl: 'http://127.0.0.1:9',
          batchEventData: { eventsPerRequest: 5000, requestTimeInterval: 3600 },
          retryConfig: { shouldRetry: false },
          shutdownTimeout: 100,
          logger: { level: 'ERROR', transport: { debug() {}, info() {}, warn() {}, error() {} } },
        }),
      ],
      controllers: [BenchController],
      providers: [{ provide: OFFICIAL_SDK, useValue: sdk }],
    };
  }
}

async function serve(adapter: AdapterName): Promise<void> {
  const sdk = await createOfficialSdk(httpTestSettings());
  const app = await NestFactory.create(
    BenchModule.create(sdk),
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  process.send?.({ url: await app.getUrl() });
  process.once('disconnect', () => void app.close().finally(() => process.exit(0)));
}

// ---- load side (parent process) ----

interface Measure {
  rps: number;
  p99: number;
  non2xx: number;
}

async function startServer(adapter: AdapterName): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(__filename, [], {
    env: { ...process.env, [SERVER_ENV]: adapter },
    execArgv: ['-r', '@swc-node/register'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve(m.url.replace('[::1]', '127.0.0.1')));
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
  return { child, url };
}

async function load(url: string, durationS: number): Promise<Measure> {
  let n = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: durationS,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-vwo-user-id': `user-${n++ % USERS}` } }) }],
  });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

async function measureAdapter(adapter: AdapterName): Promise<Record<CaseName, Measure[]>> {
  const { child, url } = await startServer(adapter);
  try {
    const runs = { plain: [], feature: [], official: [] } as Record<CaseName, Measure[]>;
    for (const name of CASES) await load(`${url}/${name}`, 1); // warm-up (JIT, storage, SDK caches)
    for (let run = 0; run < RUNS; run++) {
      for (const name of CASES) runs[name].push(await load(`${url}/${name}`, DURATION_S));
    }
    return runs;
  } finally {
    child.disconnect();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

function report(adapter: AdapterName, runs: Record<CaseName, Measure[]>): void {
  const plainRps = median(runs.plain.map((m) => m.rps));
  const rows = CASES.map((name) => {
    const rps = median(runs[name].map((m) => m.rps));
    return {
      adapter,
      case: name,
      'req/s (median)': Math.round(rps),
      'p99 ms (median)': median(runs[name].map((m) => m.p99)),
      'vs plain': name === 'plain' ? '—' : `${(((rps - plainRps) / plainRps) * 100).toFixed(1)}%`,
      'runs req/s': runs[name].map((m) => Math.round(m.rps)).join(' / '),
      'non-2xx': runs[name].reduce((sum, m) => sum + m.non2xx, 0),
    };
  });
  console.table(rows);
}

/** Entry point of `npm run bench -- guard`. */
export async function run(): Promise<void> {
  console.log(`${RUNS} run(s) × ${DURATION_S}s per case, ${CONNECTIONS} connections, ${USERS} rotating users`);
  for (const adapter of ADAPTERS) report(adapter, await measureAdapter(adapter));
}

if (process.env[SERVER_ENV]) {
  serve(process.env[SERVER_ENV] as AdapterName).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
