import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getVWOServiceToken } from '../../lib/instances';
import { VWO_METRICS } from '../../lib/telemetry';
import { VWOModule } from '../../lib/vwo.module';
import { VWOService } from '../../lib/vwo.service';
import { OtelTestKit } from './support/otel-test-kit';
import { telemetrySettings } from './support/telemetry-test-app';

const kit = new OtelTestKit().register();
afterAll(() => kit.shutdown());

describe('metrics of named VWOModule instances', () => {
  let app: INestApplication;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        VWOModule.forRoot({ accountId: 123456, settings: telemetrySettings() }),
        VWOModule.forRoot({ name: 'eu', accountId: 123456, settings: telemetrySettings() }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterEach(() => app.close());

  it("count each instance's decisions apart: a named one's carry vwo.instance", async () => {
    const decisions = (attributes: Record<string, string>) => kit.sum(VWO_METRICS.decisions, { 'vwo.reason': 'ROLLOUT', ...attributes });
    const [allBefore, euBefore] = [await decisions({}), await decisions({ 'vwo.instance': 'eu' })];
    const eu = app.get<VWOService>(getVWOServiceToken('eu'));
    await eu.getFlag('banner', { id: 'metrics-eu-1' });
    await eu.getFlag('banner', { id: 'metrics-eu-2' });
    await app.get(VWOService).getFlag('banner', { id: 'metrics-default-1' });
    expect(await decisions({ 'vwo.instance': 'eu' })).toBe(euBefore + 2);
    expect(await decisions({})).toBe(allBefore + 3);
  });
});
