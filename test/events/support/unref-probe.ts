/**
 * Run as a child process: queues events and schedules retries against a port whose server is down, then
 * returns without closing anything. The process must exit on its own: no timer keeps it alive, and the
 * flush on beforeExit gives up after shutdownTimeout.
 */
import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { VWOEventsService } from '../../../lib/events/vwo-events.service';
import { makeDecision, makeSnapshot, RecordingLogger } from './events-test-kit';

const logger = new RecordingLogger();
const http = new HttpService(axios.create());
const port = Number(process.argv[2]);
const batched = new VWOEventsService(
  { sdkKey: 'k', accountId: '1', proxyUrl: `http://127.0.0.1:${port}`, batchEventData: { requestTimeInterval: 60 }, shutdownTimeout: 500 },
  logger,
  http,
);
batched.impressions(makeSnapshot(), makeDecision([{ campaignId: 1, variationId: 1, featureId: 1 }]), { id: 'u' });
const direct = new VWOEventsService(
  { sdkKey: 'k', accountId: '1', proxyUrl: `http://127.0.0.1:${port}`, isBatchingDisabled: true, retryConfig: { initialDelay: 60 }, shutdownTimeout: 500 },
  logger,
  http,
);
direct.trackEvent(makeSnapshot(), 'purchase', { id: 'u' });
process.on('exit', () => process.stdout.write(`exited queued=${batched.stats.queued}\n`));
