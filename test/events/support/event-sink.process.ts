/**
 * A loopback "VWO" that only counts, run as a child process (forked with @swc-node/register) so its
 * CPU is not charged to the process under test. Used by the load test and bench/events.bench.ts.
 * IPC: sends { port } when listening; answers 'stats' with SinkStats; 'reset' zeroes the counters.
 */
import { createServer } from 'node:http';

export interface SinkStats {
  requests: number;
  events: number;
  distinctVisitors: number;
  maxBatch: number;
  minBatch: number;
}

const visitors = new Set<string>();
let stats: SinkStats = { requests: 0, events: 0, distinctVisitors: 0, maxBatch: 0, minBatch: Infinity };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    stats.requests++;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ev?: Array<{ d: { visId: string } }>; d?: { visId: string } };
      const ev = body.ev ?? (body.d ? [body as { d: { visId: string } }] : []);
      stats.events += ev.length;
      stats.maxBatch = Math.max(stats.maxBatch, ev.length);
      stats.minBatch = Math.min(stats.minBatch, ev.length);
      for (const e of ev) visitors.add(e.d.visId);
    } catch {
      // not JSON: counted as a request only
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{}');
  });
});
server.keepAliveTimeout = 5000;

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
