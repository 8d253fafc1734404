import { Controller, Get, ImATeapotException, INestApplication, Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { FeatureFlag, Flag, FlagVariable, SkipFeatureFlag, VWOContextInterceptor } from '../../../lib/http';
import type { VWOModuleOptions } from '../../../lib/options/vwo-module-options.interface';
import { VWOModule } from '../../../lib/vwo.module';
import { VWOService } from '../../../lib/vwo.service';
import { httpTestSettings } from './http-test-settings';

type VWOFlag = Awaited<ReturnType<VWOService['getFlag']>>;

/** Gated as a whole by "checkout" (alice and ann), with one override and one exemption. */
@FeatureFlag('checkout')
@Controller('checkout')
export class CheckoutController {
  constructor(private readonly vwo: VWOService) {}

  @Get()
  index(): { page: string } {
    return { page: 'checkout' };
  }

  @FeatureFlag('beta')
  @Get('beta')
  beta(): { page: string } {
    return { page: 'beta' };
  }

  @SkipFeatureFlag()
  @Get('help')
  help(): { page: string } {
    return { page: 'help' };
  }

  @Get('details')
  details(
    @Flag('checkout') flag: VWOFlag,
    @FlagVariable('checkout', 'layout', 'v1') layout: string,
    @FlagVariable('checkout', 'missing', 'fallback') missing: string,
  ): Record<string, unknown> {
    return { enabled: flag.isEnabled(), variables: flag.getVariables(), layout, missing };
  }

  /** VWOService without a context: the request's user, through the async context the guard entered. */
  @Get('service')
  async service(): Promise<Record<string, unknown>> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    const [checkout, pro] = await Promise.all([this.vwo.getFlag('checkout'), this.vwo.getFlag('pro')]);
    return { checkout: checkout.isEnabled(), pro: pro.isEnabled() };
  }
}

/** Ungated controller: handler-level gates, variable gates, custom denials, param decorators alone. */
@Controller('pages')
export class PagesController {
  constructor(private readonly vwo: VWOService) {}

  @FeatureFlag('checkout', { variable: 'layout', equals: 'v2' })
  @Get('layout-v2')
  layoutV2(): { page: string } {
    return { page: 'v2' };
  }

  @FeatureFlag('checkout', { variable: 'layout', equals: 'v3' })
  @Get('layout-v3')
  layoutV3(): { page: string } {
    return { page: 'v3' };
  }

  @FeatureFlag('off', { exception: (key) => new ImATeapotException(`${key} is off`) })
  @Get('teapot')
  teapot(): void {}

  @FeatureFlag('off')
  @Get('off')
  off(): void {}

  @FeatureFlag('pro')
  @Get('pro')
  pro(@FlagVariable('pro', 'quota', 0) quota: number): { quota: number } {
    return { quota };
  }

  @Get('open')
  open(@Flag('checkout') flag: VWOFlag, @FlagVariable('checkout', 'title', 'Old checkout') title: string): Record<string, unknown> {
    return { enabled: flag.isEnabled(), title };
  }

  @Get('open-service')
  async openService(): Promise<{ checkout: boolean }> {
    return { checkout: (await this.vwo.getFlag('checkout')).isEnabled() };
  }
}

export type AdapterName = 'express' | 'fastify';

export const ADAPTERS: AdapterName[] = ['express', 'fastify'];

export interface HttpTestAppOptions {
  vwo?: Partial<VWOModuleOptions>;
  /** Registers VWOContextInterceptor globally. */
  interceptor?: boolean;
  controllers?: Type[];
}

/**
 * VWOModule offline on the inline settings: no sdkKey, so nothing is fetched and no event is built or
 * queued (the guard bench's profile shows no time in lib/events). The batching and proxy options only
 * make sure that, should a test add an sdkKey, events go to a closed local port, never to VWO.
 */
export function vwoTestOptions(overrides: Partial<VWOModuleOptions> = {}): VWOModuleOptions {
  return {
    accountId: 123456,
    settings: httpTestSettings(),
    pollInterval: 3_600_000,
    waitForSettings: 0,
    isBatchingDisabled: false,
    batchEventData: { requestTimeInterval: 3600, eventsPerRequest: 5000 },
    proxyUrl: 'http://127.0.0.1:9',
    retryConfig: { shouldRetry: false },
    shutdownTimeout: 200,
    logger: { level: 'ERROR' },
    ...overrides,
  };
}

/** A Nest app on the given adapter with VWOModule offline on the inline settings, listening on 127.0.0.1. */
export async function createHttpTestApp(adapter: AdapterName, options: HttpTestAppOptions = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [VWOModule.forRoot(vwoTestOptions(options.vwo))],
    controllers: options.controllers ?? [CheckoutController, PagesController],
    providers: [
      ...(options.interceptor ? [{ provide: APP_INTERCEPTOR, useClass: VWOContextInterceptor }] : []),
    ],
  }).compile();
  const app = moduleRef.createNestApplication(adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  return app;
}
