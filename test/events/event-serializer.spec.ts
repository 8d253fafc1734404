import type { EventEnvelope, EventRecord } from '../../lib/events/event-envelope.interface';
import { EventSerializer } from '../../lib/events/event-serializer';
import { eventRecord as record } from './support/event-record.fixture';

const sdk = { name: 'nestjs-vwo', version: '1.2.3' };
const KEY = 'abc"\\key';
const serializer = new EventSerializer(KEY, sdk);

/** The envelope object VWO's SDK builds for a record, in its key order (the oracle). */
function envelopeObject(r: EventRecord): EventEnvelope {
  const i = r.impression;
  const props: Record<string, unknown> = r.eventProps
    ? (JSON.parse(r.eventProps) as Record<string, unknown>)
    : { vwo_sdkName: sdk.name, vwo_sdkVersion: sdk.version, vwo_envKey: KEY };
  if (!r.eventProps && i) Object.assign(props, { id: i.campaignId, variation: i.variationId, isFirst: 1 }, i.isHoldout ? { fId: i.featureId } : {});
  const visitor: Record<string, unknown> = r.visitorProps ? JSON.parse(r.visitorProps) : { vwo_fs_environment: KEY };
  if (!r.visitorProps && i && !i.isHoldout && r.ipAddress) visitor.ip = r.ipAddress;
  return {
    d: {
      msgId: `${r.visId}-${r.time}`,
      visId: r.visId,
      sessionId: r.sessionId,
      visitor_ua: r.userAgent,
      visitor_ip: r.ipAddress,
      event: { props, name: r.name, time: r.time },
      visitor: { props: visitor },
    },
  };
}

const AWKWARD = ['', 'plain', 'quote " and \\ backslash', 'line\nbreak\ttab\u0001ctl', 'ünïcödé 日本 😀', '</script>', '\u2028\u2029'];

describe('EventSerializer (docs/events.md)', () => {
  it('writes what JSON.stringify writes for the envelope object, for every kind of record', () => {
    const records: EventRecord[] = [];
    for (const text of AWKWARD) {
      records.push(record({ userAgent: text, ipAddress: text, visId: text || 'V', impression: { campaignId: 7, variationId: 2, featureId: 3 } }));
      records.push(record({ ipAddress: text, impression: { campaignId: 99, variationId: '2', featureId: 5, isHoldout: true } }));
      records.push(record({ name: text || 'n', eventProps: JSON.stringify({ a: text, n: 1.5 }), visitorProps: JSON.stringify({ vwo_fs_environment: KEY, p: text }) }));
      records.push(record({ name: 'vwo_feTrackUsage', userAgent: text, sessionId: 0 }));
    }
    for (const r of records) expect(serializer.serialise(r)).toBe(JSON.stringify(envelopeObject(r)));
  });

  it('drops members JSON would drop and writes non-finite numbers as null', () => {
    const r = record({ sessionId: undefined as never, impression: { campaignId: Infinity, variationId: undefined as never, featureId: 1 } });
    expect(serializer.serialise(r)).toBe(JSON.stringify(envelopeObject(r)));
    expect(serializer.serialise(r)).not.toContain('sessionId');
  });

  it('writes repeated impressions, visitors and names the same as the first time (memoised texts)', () => {
    const shapes = [
      { campaignId: 7, variationId: 2, featureId: 3 },
      { campaignId: 7, variationId: '2', featureId: 3 },
      { campaignId: '7', variationId: 2, featureId: 3 },
      { campaignId: 7, variationId: 2, featureId: 4, isHoldout: true },
      { campaignId: 7, variationId: 2, featureId: 5, isHoldout: true },
      { campaignId: 8, variationId: 1, featureId: 3 },
    ];
    const records = AWKWARD.flatMap((text, n) =>
      shapes.map((impression) => record({ visId: text || 'V', userAgent: text, ipAddress: n % 2 ? text : '', impression })),
    );
    for (let round = 0; round < 2; round++) {
      for (const r of records) expect(serializer.serialise(r)).toBe(JSON.stringify(envelopeObject(r)));
    }
  });

  it('stays exact after more campaigns than it keeps texts for', () => {
    const own = new EventSerializer(KEY, sdk);
    const records = Array.from({ length: 2_500 }, (_, i) => record({ impression: { campaignId: i, variationId: i % 3, featureId: 1 } }));
    for (let round = 0; round < 2; round++) {
      for (const r of records) expect(own.serialise(r)).toBe(JSON.stringify(envelopeObject(r)));
    }
  });

  it('joins envelopes into {"ev":[…]} in queue order', () => {
    const a = record({ visId: 'A' });
    const b = record({ visId: 'B', impression: { campaignId: 1, variationId: 1, featureId: 1 } });
    const body = serializer.batchBody([a, b]);
    expect(body).toBe(`{"ev":[${serializer.serialise(a)},${serializer.serialise(b)}]}`);
    expect((JSON.parse(body) as { ev: EventEnvelope[] }).ev.map((e) => e.d.visId)).toEqual(['A', 'B']);
    expect(serializer.batchBody([])).toBe('{"ev":[]}');
  });
});
