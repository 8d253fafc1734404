/**
 * Where the main-thread cost of one event request through HttpService sits, in CPU instructions counted by
 * callgrind: one batch of 100 impressions (the default eventsPerRequest; ~45 KB of JSON), sent one request after
 * another to the loopback sink (another process, not counted), by each layer of the path:
 *
 *   Node's http client      the same URL, headers and bytes written with http.request on a keep-alive agent
 *   axios without adapter   HttpServiceTransport on an axios whose adapter answers at once: what axios does
 *                           around any adapter (config merge, headers, interceptor chain, transforms)
 *   HttpServiceTransport    the real transport (the app's axios, its HTTP adapter, Node's http client)
 *   EventHttpClient         plus our retry policy's bookkeeping on success
 *
 * The axios HTTP adapter's own share is the transport's count less the two first ones. Warm figures: each layer
 * runs HTTP_LAYERS_PRIMING (default 6) uninstrumented rounds of HTTP_LAYERS_N (default 200) requests, then the
 * window counts HTTP_LAYERS_N more; the table shows the lowest of HTTP_LAYERS_RUNS (default 2) windows, as the
 * JIT's background compilation can leave a window partly unoptimised on a busy machine. About 4 minutes.
 */
import { join } from 'node:path';
import { askChild, nextMessage, valgrindVersion } from './support/callgrind';
import { withSinkChild } from './support/sink-child-callgrind';
import { renderTable } from './support/table';

const N = Number(process.env.HTTP_LAYERS_N ?? 200);
const PRIMING_ROUNDS = Number(process.env.HTTP_LAYERS_PRIMING ?? 6);
const RUNS = Number(process.env.HTTP_LAYERS_RUNS ?? 2);
const EVENTS_PER_REQUEST = 100;

export async function run(): Promise<void> {
  const started = Date.now();
  const ran = await withSinkChild(join(__dirname, 'support', 'http-layers-child.ts'), 'HTTP_LAYERS_SINK', async ({ child, count }) => {
    const { ops, bytes } = await nextMessage<{ ops: string[]; bytes: number }>(child);
    const lowest = new Map<string, number>();
    for (const op of ops) for (let r = 0; r < PRIMING_ROUNDS; r++) await askChild(child, op, N);
    for (let run = 0; run < RUNS; run++) {
      for (const op of ops) {
        const perRequest = (await count(op, N)).main / N;
        lowest.set(op, Math.min(lowest.get(op) ?? Infinity, perRequest));
        console.log(`  counted ${op}: ${Math.round(perRequest).toLocaleString('en-US')} instructions per request`);
      }
    }
    const [nodeHttp, core, transport] = ops.map((op) => lowest.get(op)!);
    const adapter = transport - core - nodeHttp;
    const rows = ops.map((op) => [op, Math.round(lowest.get(op)!), Math.round(lowest.get(op)! / EVENTS_PER_REQUEST)]);
    rows.push(["axios' HTTP adapter's own work (transport − the two first)", Math.round(adapter), Math.round(adapter / EVENTS_PER_REQUEST)]);
    console.log(`main-thread instructions per request of ${EVENTS_PER_REQUEST} events (${bytes.toLocaleString('en-US')} bytes), warm (callgrind)`);
    console.log(renderTable(['layer', 'instr/request', 'instr/event'], rows, 0));
  });
  if (!ran) return;
  console.log(`(${await valgrindVersion()}; N=${N}, priming ${PRIMING_ROUNDS}, lowest of ${RUNS}; took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
