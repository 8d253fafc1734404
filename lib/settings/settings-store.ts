import { Inject, Injectable } from '@nestjs/common';
import { compileSettingsSteps } from '../engine';
import { segmentDepthSteps } from '../engine/settings/segment-depth';
import type { EngineLogger } from '../engine/types';
import type { SettingsSnapshot } from '../engine/contract';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { VWO_LOGGER } from '../vwo.internal-constants';
import { runInSlices, SLICE_MS } from './run-in-slices';
import { parseJsonSteps } from './json-steps';
import { LatestWinsQueue } from './latest-wins-queue';

/** Where a settings document came from. */
export type SettingsSource = 'fetch' | 'option' | 'update' | 'cache';

/** What apply() did with a document. */
export type ApplyResult = 'updated' | 'unchanged' | 'invalid';

/** A document to apply: the text of a response (compared, then parsed) or an object already parsed. */
export type SettingsInput = { text: string } | { document: unknown };

/** What became of one document handed to the store. */
export interface ApplyOutcome {
  /** Its own result; for a document a newer one replaced before its turn, the newer one's. */
  result: ApplyResult;
  /** The parsed document, when it is the one in use now (absent when invalid or replaced before its turn). */
  document?: Readonly<Record<string, unknown>>;
}

interface ApplyJob {
  input: SettingsInput;
  source: SettingsSource;
  fetchedAt?: number;
}

const SOURCE_VERBS: Readonly<Record<SettingsSource, string>> = { fetch: 'updated', update: 'updated', option: 'loaded from options', cache: 'loaded from the storage cache' };

export type SettingsListener = (snapshot: SettingsSnapshot, source: SettingsSource) => void;

/**
 * The current settings: one immutable snapshot behind one reference, swapped whole when a new valid
 * document is compiled. An invalid document is logged and the last good snapshot stays.
 *
 * Every document goes through one queue: applies run one at a time, each parsed, checked and compiled in
 * slices between which the event loop serves requests (on the snapshot in use until the swap). A document
 * waiting its turn is dropped when a newer one arrives, since only the newest matters.
 */
@Injectable()
export class SettingsStore {
  private current?: SettingsSnapshot;
  /** When the newest document from VWO applied so far was fetched (by this process, or by another one for the cache). */
  private newestFetchedAt = 0;
  /** Text of the document in use, when it came as text: an identical response is recognised without parsing it. */
  private currentText?: string;
  private readonly listeners: SettingsListener[] = [];
  private readonly queue = new LatestWinsQueue<ApplyJob, ApplyOutcome>(
    (job) => this.run(job),
    (newer) => ({ result: newer.result }),
  );
  /** Longest stretch an apply holds the event loop (a test may shorten it to pause at every step). */
  protected readonly sliceMs: number = SLICE_MS;
  private resolveReady!: () => void;
  /** Resolves when the first valid settings are in. */
  readonly ready: Promise<void> = new Promise((resolve) => (this.resolveReady = resolve));

  /** Last time a valid document was received (changed or not). */
  lastUpdatedAt?: Date;
  /** Last time the snapshot was replaced. */
  lastChangedAt?: Date;
  /** Why the last fetch failed or its document was rejected; cleared by the next good one. */
  lastFetchError?: string;
  lastFetchErrorAt?: Date;
  /** Origin of the current snapshot. */
  source?: SettingsSource;

  constructor(@Inject(VWO_LOGGER) private readonly logger: VWOLogger) {}

  get snapshot(): SettingsSnapshot | undefined {
    return this.current;
  }

  isReady(): boolean {
    return this.current !== undefined;
  }

  /** Applies a parsed document (see submit); resolves once it is in use, found unchanged, or rejected. */
  async apply(document: unknown, source: SettingsSource): Promise<ApplyResult> {
    return (await this.submit({ document }, source)).result;
  }

  /**
   * Queues a document, then validates and compiles it in slices and swaps it in. Text equal to the text in
   * use is 'unchanged' without being parsed; text that is not JSON is 'invalid'. A cached document fetched
   * (`fetchedAt`) no later than a document from VWO applied before it is stale when its turn comes:
   * 'unchanged', and not applied (no document in the outcome). Never rejects.
   */
  submit(input: SettingsInput, source: SettingsSource, fetchedAt?: number): Promise<ApplyOutcome> {
    return this.queue.push({ input, source, fetchedAt });
  }

  private async run({ input, source, fetchedAt }: ApplyJob): Promise<ApplyOutcome> {
    // Checked at its turn, not when queued: a fetch queued first and applied meanwhile makes an older cached document stale.
    if (source === 'cache' && fetchedAt !== undefined && fetchedAt <= this.newestFetchedAt) return { result: 'unchanged' };
    if ('text' in input && this.current && input.text === this.currentText) {
      this.noteFetchedAt(fetchedAt);
      this.markGood();
      this.logger.debug('No change in settings since the last fetch');
      return { result: 'unchanged', document: this.current.raw };
    }
    let snapshot: SettingsSnapshot;
    try {
      snapshot = await runInSlices(this.compileSteps(input), this.sliceMs);
    } catch (err) {
      this.recordFailure(`settings document rejected: ${describe(err)}`);
      // A fetched document is a failed fetch: the sync service logs it once per outage, not once per poll.
      if (source !== 'fetch') this.logger.error(`Settings are not valid (${describe(err)}); keeping the ${this.current ? 'previous settings' : 'module without settings'}`);
      return { result: 'invalid' };
    }
    this.current = snapshot;
    this.currentText = 'text' in input ? input.text : undefined;
    this.noteFetchedAt(fetchedAt);
    this.source = source;
    this.lastChangedAt = new Date();
    this.markGood();
    this.logger.info(`Settings ${SOURCE_VERBS[source]} (version ${String(snapshot.version)})`);
    this.resolveReady();
    for (const listener of this.listeners) this.notify(listener, snapshot, source);
    return { result: 'updated', document: snapshot.raw };
  }

  private noteFetchedAt(fetchedAt: number | undefined): void {
    if (fetchedAt !== undefined) this.newestFetchedAt = Math.max(this.newestFetchedAt, fetchedAt);
  }

  /** Parse (for text), depth check and compile, as one stepped job. */
  private *compileSteps(input: SettingsInput): Generator<void, SettingsSnapshot> {
    const raw = 'text' in input ? yield* parseText(input.text) : input.document;
    yield* segmentDepthSteps(raw);
    return yield* compileSettingsSteps(raw, { logger: this.compileLogger(raw) });
  }

  /**
   * Where the engine reports what it refuses in a document (unsafe or invalid regexes, unsupported
   * operators): each distinct warning once per settings version, however many segments repeat it and
   * however late a lazily compiled feature meets it.
   */
  private compileLogger(raw: unknown): EngineLogger {
    const version = String((raw as { version?: unknown } | null)?.version ?? 'unknown');
    const warned = new Set<string>();
    return {
      warn: (message) => {
        if (warned.has(message)) return;
        warned.add(message);
        this.logger.warn(`Settings version ${version}: ${message}`);
      },
      debug: (message) => this.logger.debug(message),
    };
  }

  recordFailure(message: string): void {
    this.lastFetchError = message;
    this.lastFetchErrorAt = new Date();
  }

  /** Called after every swap (not for unchanged documents). */
  onUpdate(listener: SettingsListener): void {
    this.listeners.push(listener);
  }

  private markGood(): void {
    this.lastUpdatedAt = new Date();
    this.lastFetchError = undefined;
    this.lastFetchErrorAt = undefined;
  }

  private notify(listener: SettingsListener, snapshot: SettingsSnapshot, source: SettingsSource): void {
    try {
      listener(snapshot, source);
    } catch (err) {
      this.logger.error(`A settings listener failed: ${describe(err)}`);
    }
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const path = (err as Error & { path?: string }).path;
  return path && !err.message.includes(path) ? `${path}: ${err.message}` : err.message;
}

function* parseText(text: string): Generator<void, unknown> {
  try {
    return yield* parseJsonSteps(text);
  } catch {
    throw new Error('the body is not valid JSON');
  }
}
