import { Controller, Get, INestApplication, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { context, trace } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { VWOHealthIndicator } from '../../../lib/health';
import { FeatureFlag, Flag } from '../../../lib/http';
import type { VWOModuleOptions } from '../../../lib/options/vwo-module-options.interface';
import { SettingsBuilder } from '../../../lib/testing/settings-builder';
import { VWOModule } from '../../../lib/vwo.module';
import { VWOService } from '../../../lib/vwo.service';

type VWOFlag = Awaited<ReturnType<VWOService['getFlag']>>;

export type AdapterName = 'express' | 'fastify';

/**
 * "checkout": a rollout, then a test whose only variation is "Treatment" (EXPERIMENT for everyone);
 * "banner": a rollout for everyone (ROLLOUT); "off": no rules (NO_RULE_MATCHED).
 */
export function telemetrySettings(): Record<string, unknown> {
  return new SettingsBuilder({ accountId: 123456, version: 3 })
    .feature('checkout', (f) => f.rollout().testing({ variations: [{ name: 'Treatment', weight: 100, variables: { layout: 'v2' } }] }).metric('purchase'))
    .feature('banner', (f) => f.rollout({ variables: { color: 'blue' } }))
    .feature('off')
    .build() as unknown as Record<string, unknown>;
}

@Controller()
class ShopController {
  constructor(private readonly vwo: VWOService) {}

  /** Guarded; the param decorator reads the guard's flag (no second decision). */
  @FeatureFlag('checkout')
  @Get('checkout')
  checkout(@Flag('checkout') flag: VWOFlag): { variation?: string } {
    return { variation: flag.variationName };
  }

  /** Guarded by one flag, decides two more in the handler. */
  @FeatureFlag('checkout')
  @Get('home')
  async home(): Promise<Record<string, boolean>> {
    const [banner, off] = await Promise.all([this.vwo.getFlag('banner'), this.vwo.getFlag('off')]);
    return { banner: banner.isEnabled(), off: off.isEnabled() };
  }

  @FeatureFlag('off')
  @Get('hidden')
  hidden(): void {}
}

/** What an app's HTTP instrumentation does: one active span per request, ended with the response. */
function requestSpan(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void): void {
  // Express hands mounted middleware a path relative to the mount; originalUrl is the request's.
  const span = trace.getTracer('test-http').startSpan(`${req.method} ${req.originalUrl ?? req.url}`);
  res.on('finish', () => span.end());
  context.with(trace.setSpan(context.active(), span), next);
}

function appModule(options: VWOModuleOptions): new () => NestModule {
  @Module({ imports: [VWOModule.forRoot(options)], controllers: [ShopController], providers: [VWOHealthIndicator] })
  class TelemetryTestModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(requestSpan).forRoutes('*');
    }
  }
  return TelemetryTestModule;
}

/** VWO offline on telemetrySettings() unless `options` say otherwise; listens on 127.0.0.1. */
export async function createTelemetryTestApp(adapter: AdapterName, options: Partial<VWOModuleOptions> = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [appModule({ accountId: 123456, settings: telemetrySettings(), waitForSettings: 0, logger: { level: 'ERROR' }, ...options })],
  }).compile();
  const app = moduleRef.createNestApplication(adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  if (adapter === 'fastify') await app.getHttpAdapter().getInstance().ready();
  return app;
}
