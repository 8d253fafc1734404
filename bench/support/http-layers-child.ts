/**
 * The child process of events-http-instructions.bench.ts, run under callgrind: one batch request of 100 real
 * impressions (its URL, headers and body captured from VWOEventsService), sent on request `{ op, n }` n times,
 * one after another, to the loopback sink, by each layer of the HttpService path (see the bench).
 */
import { HttpService } from '@nestjs/axios';
import axios, { type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { Agent, request as httpRequest } from 'node:http';
import { compileSettings, decide } from '../../lib/engine';
import { EventHttpClient, type PostRequest } from '../../lib/events/event-http.client';
import { HttpServiceTransport } from '../../lib/events/http-service.transport';
import { VWOEventsService } from '../../lib/events/vwo-events.service';
import type { VWOLogger } from '../../lib/logger/vwo-logger.interface';
import { AXIOS_KEEP_ALIVE_MS } from '../../lib/network/vwo-http-agents';
import { resolveRetryPolicy } from '../../lib/network/retry-policy';
import { benchContexts, rolloutAndTest } from './bench-settings';

const SDK_KEY = 'bench-events-sdk-key-0000000000000';
const SILENT: VWOLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const TIMEOUT_MS = 10_000;

/** The first batch VWOEventsService sends for 100 decisions' impressions, sent to `sinkUrl`. */
async function batchRequest(sinkUrl: string): Promise<PostRequest> {
  let captured: PostRequest | undefined;
  const capture = {
    post: (url: string, data: Buffer, config: { headers: Record<string, string> }) => {
      captured ??= { url, body: data, headers: { 'Content-Type': config.headers['Content-Type'], Authorization: config.headers.Authorization } };
      return Promise.resolve({ status: 200, data: '' });
    },
  } as unknown as AxiosInstance;
  const fixture = rolloutAndTest();
  const snapshot = compileSettings(structuredClone(fixture.doc));
  const service = new VWOEventsService({ sdkKey: SDK_KEY, accountId: String(fixture.doc.accountId), proxyUrl: sinkUrl }, SILENT, new HttpService(capture));
  for (const context of benchContexts().slice(0, 50)) service.impressions(snapshot, decide(snapshot, fixture.featureKey, context, () => undefined), context);
  await service.flush();
  if (!captured) throw new Error('no batch captured');
  return captured;
}

async function main(): Promise<void> {
  const request = await batchRequest(process.env.HTTP_LAYERS_SINK ?? 'http://127.0.0.1:9');
  const stop = new AbortController().signal;
  const transport = new HttpServiceTransport(new HttpService(axios.create()));
  const client = new EventHttpClient(transport, resolveRetryPolicy(undefined), TIMEOUT_MS, SILENT, stop, SDK_KEY);
  // axios without its HTTP adapter: the adapter answers at once (config merge, headers, interceptor chain, transforms).
  const answered = (config: InternalAxiosRequestConfig) => Promise.resolve({ status: 200, statusText: 'OK', headers: {}, config, data: '' });
  const core = new HttpServiceTransport(new HttpService(axios.create({ adapter: answered })));
  const agent = new Agent({ keepAlive: true, maxSockets: 32, keepAliveMsecs: AXIOS_KEEP_ALIVE_MS });
  const url = new URL(request.url);
  const nodeHttp = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const headers = { ...request.headers, 'Content-Length': request.body.length };
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(request.body);
    });
  const ops = new Map<string, () => Promise<unknown>>([
    ["Node's http client, same request", nodeHttp],
    ['axios without its HTTP adapter', () => core.post(request, TIMEOUT_MS, stop)],
    ['HttpServiceTransport (axios + HTTP adapter)', () => transport.post(request, TIMEOUT_MS, stop)],
    ['EventHttpClient over it', () => client.post(request)],
  ]);
  process.on('message', (message: { op: string; n: number }) => {
    const op = ops.get(message.op);
    if (!op) return process.send!({ error: `unknown operation ${message.op}` });
    void (async () => {
      for (let i = 0; i < message.n; i++) await op();
    })().then(
      () => process.send!({ done: true }),
      (err: Error) => process.send!({ error: err.message }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ ops: [...ops.keys()], bytes: request.body.length });
}

void main();
