import type { EventRecord } from '../../lib/events/event-envelope.interface';
import { EventPayloadBuilder } from '../../lib/events/event-payload.builder';
import { EventSerializer } from '../../lib/events/event-serializer';

const sdk = { name: 'nestjs-vwo', version: '1.2.3' };
const NOW = 1_700_000_000_123;
const builder = new EventPayloadBuilder('key', '123456', sdk, () => NOW);
/** The two impressions of one decision, as the builder makes them (same visitor, time and session). */
const [first, second] = builder.impressions(
  [
    { campaignId: 7, variationId: 2, featureId: 3 },
    { campaignId: 8, variationId: 1, featureId: 3 },
  ],
  { id: 'user-1' },
  NOW,
);

/** Each envelope of a batch, written alone. */
function alone(records: EventRecord[]): string {
  const own = new EventSerializer('key', sdk);
  return `{"ev":[${records.map((r) => own.serialise(r)).join(',')}]}`;
}

describe('EventSerializer: what one envelope shares with the one before it', () => {
  it('writes every time as String(time) writes it, including ones that are not epoch milliseconds', () => {
    const serializer = new EventSerializer('key', sdk);
    for (const time of [0, 7, 10, NOW, 2 ** 53 - 1, 2 ** 53, 1.5, -3, 1e21]) {
      const body = serializer.serialise({ ...first, time });
      expect(body).toContain(`"msgId":"${first.visId}-${String(time)}"`);
      expect(body).toContain(`"time":${String(time)}}`);
    }
  });

  it('repeats a visitor only while the visitor, time, session, user agent and IP are all the same', () => {
    const changes: Array<Partial<EventRecord>> = [{}, { visId: 'OTHER' }, { time: NOW + 1 }, { sessionId: first.sessionId + 1 }, { userAgent: 'UA' }, { ipAddress: '10.0.0.1' }];
    const serializer = new EventSerializer('key', sdk);
    for (const change of changes) {
      const batch = [first, { ...second, ...change }, { ...second, ...change, name: 'custom', impression: undefined }];
      expect(serializer.batchBody(batch)).toBe(alone(batch));
    }
  });
});
