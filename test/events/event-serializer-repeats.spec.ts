import type { EventRecord } from '../../lib/events/event-envelope.interface';
import { EventSerializer } from '../../lib/events/event-serializer';

const sdk = { name: 'nestjs-vwo', version: '1.2.3' };

function record(overrides: Partial<EventRecord>): EventRecord {
  return {
    name: 'vwo_variationShown',
    visId: 'CC25A368ADA0542699EAD62489811105',
    sessionId: 1_700_000_001,
    time: 1_700_000_000_123,
    userAgent: '',
    ipAddress: '',
    visitorHeaders: true,
    impression: { campaignId: 7, variationId: 2, featureId: 3 },
    eventProps: undefined,
    visitorProps: undefined,
    ...overrides,
  };
}

/** Each envelope of a batch, written alone. */
function alone(records: EventRecord[]): string {
  const own = new EventSerializer('key', sdk);
  return `{"ev":[${records.map((r) => own.serialise(r)).join(',')}]}`;
}

describe('EventSerializer: what one envelope shares with the one before it', () => {
  it('writes every time as String(time) writes it, including ones that are not epoch milliseconds', () => {
    const serializer = new EventSerializer('key', sdk);
    for (const time of [0, 7, 10, 1_700_000_000_000, 2 ** 53 - 1, 2 ** 53, 1.5, -3, 1e21]) {
      const body = serializer.serialise(record({ time }));
      expect(body).toContain(`"msgId":"CC25A368ADA0542699EAD62489811105-${String(time)}"`);
      expect(body).toContain(`"time":${String(time)}}`);
    }
  });

  it('repeats a visitor only while the visitor, time, session, user agent and IP are all the same', () => {
    const base = record({});
    const changes: Array<Partial<EventRecord>> = [{}, { visId: 'OTHER' }, { time: base.time + 1 }, { sessionId: base.sessionId + 1 }, { userAgent: 'UA' }, { ipAddress: '10.0.0.1' }];
    const serializer = new EventSerializer('key', sdk);
    for (const change of changes) {
      const batch = [base, record({ ...change, impression: { campaignId: 8, variationId: 1, featureId: 3 } }), record({ ...change, name: 'custom', impression: undefined })];
      expect(serializer.batchBody(batch)).toBe(alone(batch));
    }
  });
});
