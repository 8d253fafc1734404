import * as api from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { Test } from '@nestjs/testing';
import { createVWOTelemetry } from '../../lib/telemetry/create-vwo-telemetry';
import { findOpenTelemetry } from '../../lib/telemetry/load-open-telemetry';
import { NOOP_TELEMETRY } from '../../lib/telemetry/noop-telemetry';
import { VWOTelemetry } from '../../lib/telemetry';
import { VWOModule } from '../../lib/vwo.module';
import { VWOService } from '../../lib/vwo.service';
import { CaptureLogger } from '../module/helpers/capture-logger';
import { telemetrySettings } from './support/telemetry-test-app';

// This file registers no SDK until its last describe, which unregisters what it registers.
describe('without @opentelemetry/api, or without an SDK', () => {
  it('finds nothing when the package is not installed', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module '@opentelemetry/api'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(findOpenTelemetry(missing)).toBeUndefined();
    expect(createVWOTelemetry({}, new CaptureLogger(), missing)).toBe(NOOP_TELEMETRY);
  });

  it('finds nothing when the API is installed but no SDK is registered', () => {
    expect(findOpenTelemetry()).toBeUndefined();
    expect(createVWOTelemetry(undefined, new CaptureLogger())).toBe(NOOP_TELEMETRY);
  });

  it('a module without an SDK gets the no-op recorder, and getFlag never asks OpenTelemetry for a span', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [VWOModule.forRoot({ accountId: 123456, settings: telemetrySettings(), waitForSettings: 0 })] }).compile();
    await moduleRef.init();
    const activeSpan = jest.spyOn(api.trace, 'getActiveSpan');
    try {
      expect(moduleRef.get(VWOTelemetry).active).toBe(false);
      const flag = await moduleRef.get(VWOService).getFlag('checkout', { id: 'no-sdk-user' });
      expect(flag.variationName).toBe('Treatment');
      expect(activeSpan).not.toHaveBeenCalled();
    } finally {
      activeSpan.mockRestore();
      await moduleRef.close();
    }
  });
});

describe('with only one signal registered', () => {
  afterEach(() => {
    api.trace.disable();
    api.metrics.disable();
  });

  it('a tracer provider alone: span events, no metrics', () => {
    api.trace.setGlobalTracerProvider(new BasicTracerProvider());
    expect(findOpenTelemetry()).toMatchObject({ tracing: true, metering: false });
  });

  it('a meter provider alone: metrics, no span events', () => {
    api.metrics.setGlobalMeterProvider(new MeterProvider());
    expect(findOpenTelemetry()).toMatchObject({ tracing: false, metering: true });
  });

  it('telemetry.enabled false records nothing even with an SDK', () => {
    api.metrics.setGlobalMeterProvider(new MeterProvider());
    const logger = new CaptureLogger();
    expect(createVWOTelemetry({ enabled: false }, logger)).toBe(NOOP_TELEMETRY);
    expect(createVWOTelemetry({}, logger).active).toBe(true);
  });
});
