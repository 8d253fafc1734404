import type { EventRecord } from '../../lib/events/event-envelope.interface';
import { EventSerializer } from '../../lib/events/event-serializer';
import { eventRecord } from './support/event-record.fixture';

const sdk = { name: 'nestjs-vwo', version: '1.2.3' };

/** A record with an impression unless `overrides` says otherwise. */
function record(overrides: Partial<EventRecord>): EventRecord {
  return eventRecord({ impression: { campaignId: 7, variationId: 2, featureId: 3 }, ...overrides });
}

/** Each field in turn carries non-ASCII text (Latin-1 range, BMP, astral, lone surrogate). */
const NON_ASCII = ['é', 'ÿ', '日本', '😀', '\ud800', '\u0080'];
function nonAsciiRecords(text: string): EventRecord[] {
  return [
    record({ visId: `V${text}` }),
    record({ userAgent: `UA ${text}` }),
    record({ ipAddress: `10.0.0.1${text}` }),
    record({ name: `n${text}`, impression: undefined }),
    record({ eventProps: JSON.stringify({ p: text }), impression: undefined }),
    record({ visitorProps: JSON.stringify({ p: text }), impression: undefined }),
    record({ sessionId: text as never }),
    record({ impression: { campaignId: `c${text}`, variationId: 1, featureId: 1 } }),
    record({ impression: { campaignId: 9, variationId: `v${text}`, featureId: `f${text}`, isHoldout: true } }),
  ];
}

describe('EventSerializer#batchBytes (the bytes a batch request sends)', () => {
  it('is the UTF-8 encoding of batchBody for ASCII batches and for batches with non-ASCII text anywhere', () => {
    const serializer = new EventSerializer('key', sdk);
    const ascii = [record({}), record({ userAgent: 'Mozilla/5.0', ipAddress: '10.0.0.1' }), record({ impression: undefined, name: 'x' })];
    expect(serializer.batchBytes(ascii).equals(Buffer.from(serializer.batchBody(ascii), 'utf8'))).toBe(true);
    for (const text of NON_ASCII) {
      for (const odd of nonAsciiRecords(text)) {
        // The odd record first, last and alone: an ASCII record after it must not reset what was seen.
        for (const batch of [[odd, ...ascii], [...ascii, odd], [odd]]) {
          const bytes = serializer.batchBytes(batch);
          expect(bytes.equals(Buffer.from(serializer.batchBody(batch), 'utf8'))).toBe(true);
          expect(JSON.parse(bytes.toString('utf8'))).toEqual(JSON.parse(serializer.batchBody(batch)));
        }
        // A later all-ASCII batch is exact again (and may take the cheap path).
        expect(serializer.batchBytes(ascii).equals(Buffer.from(serializer.batchBody(ascii), 'utf8'))).toBe(true);
      }
    }
  });

  it('is exact for an SDK key that is not ASCII', () => {
    const serializer = new EventSerializer('clé', sdk);
    const batch = [record({}), record({ impression: undefined })];
    expect(serializer.batchBytes(batch).equals(Buffer.from(serializer.batchBody(batch), 'utf8'))).toBe(true);
  });

  it('writes each event with its own time and session when they change within a batch', () => {
    const serializer = new EventSerializer('key', sdk);
    const batch = [1, 1, 2, 1, 3].map((k) => record({ time: 1_700_000_000_000 + k, sessionId: 1_700_000_000 + k }));
    const parsed = JSON.parse(serializer.batchBytes(batch).toString('utf8')) as { ev: Array<{ d: Record<string, any> }> };
    expect(parsed.ev.map((e) => [e.d.event.time, e.d.sessionId, e.d.msgId])).toEqual(
      batch.map((r) => [r.time, r.sessionId, `${r.visId}-${r.time}`]),
    );
  });
});
