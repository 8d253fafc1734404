import { request } from 'node:http';
import type { EventRecord } from '../../lib/events/event-envelope.interface';
import { EventSerializer } from '../../lib/events/event-serializer';
import { EventSink, SinkStats } from './support/event-sink';

const serializer = new EventSerializer('sink-key', { name: 'nestjs-vwo', version: '1.0.0' });

function record(i: number, userAgent: string): EventRecord {
  return {
    name: 'vwo_variationShown',
    visId: `VISITOR${i}`,
    sessionId: 1_700_000_000,
    time: 1_700_000_000_000 + i,
    userAgent,
    ipAddress: '',
    visitorHeaders: true,
    impression: { campaignId: 1, variationId: 1, featureId: 1 },
    eventProps: undefined,
    visitorProps: undefined,
  };
}

function post(url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers = { 'Content-Type': 'application/json' };
    const req = request(`${url}/server-side/batch-events-v2`, { method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends the same bodies to a sink of each kind; user agents that spell the counted key stay inside strings. */
async function countWith(countOnly: boolean): Promise<SinkStats> {
  const sink = await EventSink.start({ countOnly });
  try {
    await post(sink.url, serializer.batchBody([0, 1, 2].map((i) => record(i, '"visId":"x"'))));
    await post(sink.url, serializer.batchBody([3, 4].map((i) => record(i, 'plain'))));
    await post(sink.url, serializer.serialise(record(5, '')));
    return await sink.stats();
  } finally {
    await sink.stop();
  }
}

describe('EventSink (test and bench support)', () => {
  it('counts the same events and batches without parsing bodies as when parsing them', async () => {
    const [parsed, counted] = await Promise.all([countWith(false), countWith(true)]);
    expect(parsed).toEqual({ requests: 3, events: 6, distinctVisitors: 6, maxBatch: 3, minBatch: 1 });
    expect(counted).toEqual({ ...parsed, distinctVisitors: 0 });
  });
});
