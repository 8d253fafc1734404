import { Inject, Injectable, Optional } from '@nestjs/common';
import type { StoredLookup, StoredRecord } from '../engine/types';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { VWO_STORAGE } from '../vwo.constants';
import { VWO_LOGGER, VWO_STORAGE_CONFIG } from '../vwo.internal-constants';
import { NOOP_TELEMETRY } from '../telemetry/noop-telemetry';
import { VWOTelemetry } from '../telemetry/vwo-telemetry';
import { RateLimitedWarning } from './rate-limited-warning';
import type { VWOStorageConfig } from './storage-config';
import type { VWOStorage } from './vwo-storage.interface';

/**
 * The records one user has for the keys of one decision. `failedKeys` lists the keys whose read failed or
 * timed out: the decision must not write them (it would overwrite a record it never saw).
 */
export type StoredReadResult = StoredLookup & { readonly failedKeys?: ReadonlySet<string> };

/** A key's read: the record, null (nothing stored), or FAILED (threw, rejected or timed out). */
const FAILED = Symbol('read failed');
type Answer = StoredRecord | null | typeof FAILED;
type RawAnswer = Answer | PromiseLike<unknown>;

const NOTHING_STORED: StoredReadResult = () => undefined;

/**
 * getFlag's only door to storage: reads bounded by `storageTimeout`, fire-and-forget writes. A storage that
 * throws, rejects or hangs is logged (rate-limited) and the decision goes on without it. A synchronous
 * storage (the in-memory one) is read synchronously: no promise, timer or array on that path.
 */
@Injectable()
export class VWOStorageAccess {
  private readonly readWarning: RateLimitedWarning;
  private readonly writeWarning: RateLimitedWarning;
  private readonly skipWarning: RateLimitedWarning;
  private readonly timeoutMs: number;

  constructor(
    @Optional() @Inject(VWO_STORAGE) private readonly storage: VWOStorage | null,
    @Inject(VWO_STORAGE_CONFIG) config: Pick<VWOStorageConfig, 'storageTimeout'>,
    @Inject(VWO_LOGGER) logger: VWOLogger,
    @Optional() private readonly telemetry: VWOTelemetry = NOOP_TELEMETRY,
  ) {
    this.timeoutMs = config.storageTimeout;
    this.readWarning = new RateLimitedWarning(logger);
    this.writeWarning = new RateLimitedWarning(logger);
    this.skipWarning = new RateLimitedWarning(logger);
  }

  get enabled(): boolean {
    return !!this.storage;
  }

  /**
   * Reads every key for one user. Returns the lookup itself when every get() answered synchronously, else a
   * promise of it (pending reads run in parallel under one timeout). Failures count as "nothing stored".
   */
  read(keys: readonly string[], userId: string): StoredReadResult | Promise<StoredReadResult> {
    if (!this.storage || keys.length === 0) return NOTHING_STORED;
    if (keys.length === 1) {
      const key = keys[0];
      const answer = this.ask(key, userId);
      return isThenable(answer) ? this.settle(keys, userId, 0, answer, undefined, undefined) : lookupOfOne(key, answer);
    }
    let found: Map<string, StoredRecord> | undefined;
    let failed: Set<string> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const answer = this.ask(key, userId);
      if (isThenable(answer)) return this.settle(keys, userId, i, answer, found, failed);
      if (answer === FAILED) (failed ??= new Set()).add(key);
      else if (answer) (found ??= new Map()).set(key, answer);
    }
    return lookupOf(found, failed);
  }

  /** Starts the writes and returns at once; skips keys whose read failed in `read`; failures are logged. */
  write(records: readonly StoredRecord[], read: StoredReadResult): void {
    const storage = this.storage;
    if (!storage) return;
    const failedKeys = read.failedKeys;
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      if (failedKeys?.has(record.featureKey)) {
        this.skipWarning.warn(`Storage: not saving the decision of "${record.featureKey}" for this user: its stored record could not be read`);
        continue;
      }
      try {
        const done = storage.set(record);
        if (isThenable(done)) done.then(undefined, (err: unknown) => this.onWriteError(record, err));
      } catch (err) {
        this.onWriteError(record, err);
      }
    }
  }

  /** One get(): the record (or null), FAILED when it throws, or its pending answer. */
  private ask(featureKey: string, userId: string): RawAnswer {
    let result: unknown;
    try {
      result = this.storage!.get(featureKey, userId);
    } catch (err) {
      this.onReadError(featureKey, err);
      return FAILED;
    }
    return isThenable(result) ? result : asRecord(result);
  }

  /**
   * The asynchronous path: keys before `from` answered synchronously (in `found` / `failed`), key `from`
   * is pending; the rest are asked now. Whatever has not answered when the timeout fires counts as failed.
   */
  private async settle(
    keys: readonly string[],
    userId: string,
    from: number,
    first: PromiseLike<unknown>,
    found: Map<string, StoredRecord> | undefined,
    failed: Set<string> | undefined,
  ): Promise<StoredReadResult> {
    const records = found ?? new Map<string, StoredRecord>();
    const failures = failed ?? new Set<string>();
    const pending = new Set<string>();
    const waits: Promise<void>[] = [];
    const track = (key: string, answer: RawAnswer): void => {
      if (!isThenable(answer)) return collect(records, failures, key, answer);
      pending.add(key);
      waits.push(
        Promise.resolve(answer).then(
          (value) => {
            if (pending.delete(key)) collect(records, failures, key, asRecord(value));
          },
          (err: unknown) => {
            if (pending.delete(key)) this.fail(failures, key, err);
          },
        ),
      );
    };
    track(keys[from], first);
    for (let i = from + 1; i < keys.length; i++) track(keys[i], this.ask(keys[i], userId));
    if (waits.length && !(await this.allWithin(waits))) {
      for (const key of pending) {
        failures.add(key);
        this.telemetry.storageTimeout();
        this.readWarning.warn(`Storage read for feature "${key}" took over ${this.timeoutMs} ms; deciding without it`);
      }
      pending.clear(); // late answers are ignored
    }
    return lookupOf(records.size ? records : undefined, failures.size ? failures : undefined);
  }

  /** True when every promise settled within the storage timeout. */
  private async allWithin(waits: Promise<void>[]): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([Promise.all(waits).then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private fail(failures: Set<string>, key: string, err: unknown): void {
    failures.add(key);
    this.onReadError(key, err);
  }

  private onReadError(featureKey: string, err: unknown): void {
    this.telemetry.storageError('read');
    this.readWarning.warn(`Storage read for feature "${featureKey}" failed; deciding without it. Error: ${describeError(err)}`);
  }

  private onWriteError(record: StoredRecord, err: unknown): void {
    this.telemetry.storageError('write');
    this.writeWarning.warn(`Storage write for feature "${record.featureKey}" failed. Error: ${describeError(err)}`);
  }
}

function collect(records: Map<string, StoredRecord>, failures: Set<string>, key: string, answer: Answer): void {
  if (answer === FAILED) failures.add(key);
  else if (answer) records.set(key, answer);
}

function lookupOfOne(key: string, answer: Answer): StoredReadResult {
  if (answer === null) return NOTHING_STORED;
  if (answer === FAILED) return withFailures(NOTHING_STORED, new Set([key]));
  return (k) => (k === key ? answer : undefined);
}

function lookupOf(found: Map<string, StoredRecord> | undefined, failed: Set<string> | undefined): StoredReadResult {
  const lookup: StoredReadResult = found ? (key) => found.get(key) : NOTHING_STORED;
  return failed ? withFailures(lookup, failed) : lookup;
}

function withFailures(lookup: StoredLookup, failedKeys: ReadonlySet<string>): StoredReadResult {
  return Object.assign((key: string) => lookup(key), { failedKeys });
}

function asRecord(value: unknown): StoredRecord | null {
  return value && typeof value === 'object' ? (value as StoredRecord) : null;
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return !!value && typeof (value as PromiseLike<unknown>).then === 'function';
}
