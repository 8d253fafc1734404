import { Worker } from 'node:worker_threads';
import type { AttemptResult, EventTransport, PostRequest } from './event-http.client';
import { EVENT_SENDER_WORKER_SOURCE } from './event-sender.worker-source';
import type { VWOHttpsAgentConfig } from '../network/vwo-http-agents';

/** Main → worker: send one request. */
interface SendMessage {
  id: number;
  url: string;
  /** A Buffer arrives in the worker as a Uint8Array (a copy of its bytes). */
  body: string | Uint8Array;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** Worker → main: the attempt's status, or why there is none. */
type ReplyMessage = { id: number; status: number } | { id: number; error: string };

interface Pending {
  resolve: (result: AttemptResult) => void;
  timer?: NodeJS.Timeout;
  /** The ids waiting on the same AbortSignal (see watch()). */
  waiters: Set<number>;
}

/**
 * Makes event requests from one worker thread, so the CPU of the HTTP client (request building, socket
 * writes, response parsing) stays off the app's main thread; the main thread pays one postMessage per request.
 *
 * The worker is started on the first post and unref'd: neither it nor a request in flight keeps the process
 * alive (the caller's own timers decide that). If it fails or exits, pending posts resolve with an error and
 * the next post starts a new one. post() never throws nor rejects.
 */
export class WorkerThreadTransport implements EventTransport {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** One abort listener per signal, not per request: the dispatcher passes the same stop signal to every post. */
  private readonly waitersBySignal = new WeakMap<AbortSignal, Set<number>>();

  /** `agent`: the module's `httpsAgentConfig`, for the worker's own agents (else keep-alive with 32 sockets). */
  constructor(private readonly agent?: Readonly<VWOHttpsAgentConfig>) {}

  post(request: PostRequest, timeoutMs: number, signal: AbortSignal): Promise<AttemptResult> {
    if (signal.aborted) return Promise.resolve({ error: new Error('aborted') });
    try {
      return this.send(request, timeoutMs, signal);
    } catch (err) {
      return Promise.resolve({ error: asError(err) });
    }
  }

  /** Terminates the worker (closing its sockets); pending posts resolve with an error. A later post starts a new one. */
  destroy(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll('transport destroyed');
    if (worker) worker.terminate().catch(ignore);
  }

  /** Test hook: the running worker, if any. */
  get activeWorker(): Worker | undefined {
    return this.worker;
  }

  private send(request: PostRequest, timeoutMs: number, signal: AbortSignal): Promise<AttemptResult> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    const message: SendMessage = { id, url: request.url, body: request.body, headers: request.headers, timeoutMs };
    let resolve!: (result: AttemptResult) => void;
    const promise = new Promise<AttemptResult>((r) => (resolve = r));
    const entry: Pending = { resolve, waiters: this.watch(signal, id) };
    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      // Unref'd: an unanswered request must not hold the process open.
      entry.timer = setTimeout(this.onTimeout, timeoutMs, id, timeoutMs).unref();
    }
    this.pending.set(id, entry);
    try {
      worker.postMessage(message);
    } catch (err) {
      this.settle(id, { error: asError(err) });
    }
    return promise;
  }

  private start(): Worker {
    // execArgv: [] keeps the app's preloads (-r ts loaders, --inspect) out of a worker that needs only built-ins.
    const worker = new Worker(EVENT_SENDER_WORKER_SOURCE, { eval: true, execArgv: [], workerData: { agent: this.agent } });
    worker.on('message', this.onMessage);
    worker.on('error', (err: Error) => this.onWorkerGone(worker, `event worker failed: ${err.message}`));
    worker.on('exit', (code: number) => this.onWorkerGone(worker, `event worker exited with code ${code}`));
    // After the listeners: adding a 'message' listener re-refs the worker's port, which would hold the process.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Adds id to the set of requests waiting on signal, listening to the signal once whatever their number. */
  private watch(signal: AbortSignal, id: number): Set<number> {
    let waiters = this.waitersBySignal.get(signal);
    if (!waiters) {
      const ids = new Set<number>();
      signal.addEventListener('abort', () => this.abortAll(ids), { once: true });
      this.waitersBySignal.set(signal, ids);
      waiters = ids;
    }
    waiters.add(id);
    return waiters;
  }

  private readonly onMessage = (reply: ReplyMessage): void => {
    // A late reply (the post already timed out or was aborted) finds no pending entry and is dropped.
    this.settle(reply.id, 'status' in reply ? { status: reply.status } : { error: new Error(reply.error) });
  };

  private readonly onTimeout = (id: number, timeoutMs: number): void => {
    if (this.settle(id, { error: new Error(`timed out after ${timeoutMs} ms`) })) this.cancelInWorker(id);
  };

  private abortAll(ids: Set<number>): void {
    for (const id of ids) {
      if (this.settle(id, { error: new Error('aborted') })) this.cancelInWorker(id);
    }
  }

  /** Tells the worker to destroy a request whose post is already settled (frees its socket). */
  private cancelInWorker(id: number): void {
    try {
      this.worker?.postMessage({ abort: id });
    } catch {
      // The worker is going away: its requests go with it.
    }
  }

  private onWorkerGone(worker: Worker, reason: string): void {
    // 'error' is followed by 'exit', and an old worker's events may arrive after a new one started.
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(reason);
  }

  private failAll(reason: string): void {
    // Deleting the current entry while iterating a Map or Set is safe in JS.
    for (const id of this.pending.keys()) this.settle(id, { error: new Error(reason) });
  }

  /** Resolves a pending post once; false if it was already settled. */
  private settle(id: number, result: AttemptResult): boolean {
    const entry = this.pending.get(id);
    if (!entry) return false;
    this.pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    entry.waiters.delete(id);
    entry.resolve(result);
    return true;
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function ignore(): void {}
