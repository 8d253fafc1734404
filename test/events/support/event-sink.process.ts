/**
 * A loopback "VWO" that only counts, run as a child process (forked with @swc-node/register) so its
 * CPU is not charged to the process under test. Used by the load test and bench/events.bench.ts.
 * IPC: sends { port } when listening; answers 'stats' with SinkStats; 'reset' zeroes the counters.
 * With the argument `count-only` (benchmarks) it does not parse bodies: it counts events as occurrences of
 * `"visId":` (a key VWO's envelopes write once per event, and which JSON escaping keeps out of string
 * values) and leaves distinctVisitors at 0, so the sink takes less of the CPU it shares with the code measured.
 */
import { createServer } from 'node:http';

export interface SinkStats {
  requests: number;
  events: number;
  distinctVisitors: number;
  maxBatch: number;
  minBatch: number;
}

const countOnly = process.argv.includes('count-only');
const VIS_ID_KEY = Buffer.from('"visId":');
const visitors = new Set<string>();
let stats: SinkStats = { requests: 0, events: 0, distinctVisitors: 0, maxBatch: 0, minBatch: Infinity };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    stats.requests++;
    const body = Buffer.concat(chunks);
    if (countOnly) countBatch(countKeys(body));
    else parseBody(body);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{}');
  });
});
server.keepAliveTimeout = 5000;

function countKeys(body: Buffer): number {
  let n = 0;
  for (let at = body.indexOf(VIS_ID_KEY); at >= 0; at = body.indexOf(VIS_ID_KEY, at + VIS_ID_KEY.length)) n++;
  return n;
}

function countBatch(events: number): void {
  stats.events += events;
  stats.maxBatch = Math.max(stats.maxBatch, events);
  stats.minBatch = Math.min(stats.minBatch, events);
}

function parseBody(raw: Buffer): void {
  try {
    const body = JSON.parse(raw.toString('utf8')) as { ev?: Array<{ d: { visId: string } }>; d?: { visId: string } };
    const ev = body.ev ?? (body.d ? [body as { d: { visId: string } }] : []);
    countBatch(ev.length);
    for (const e of ev) visitors.add(e.d.visId);
  } catch {
    // not JSON: counted as a request only
  }
}

server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.send?.({ port: address.port });
});

process.on('message', (msg: unknown) => {
  if (msg === 'stats') process.send?.({ stats: { ...stats, distinctVisitors: visitors.size } });
  if (msg === 'reset') {
    visitors.clear();
    stats = { requests: 0, events: 0, distinctVisitors: 0, maxBatch: 0, minBatch: Infinity };
    process.send?.({ reset: true });
  }
});
process.on('disconnect', () => process.exit(0));
