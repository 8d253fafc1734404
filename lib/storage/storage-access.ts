import { Inject, Injectable, Optional } from '@nestjs/common';
import type { StoredLookup, StoredRecord } from '../engine/types';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { VWOResolvedOptions } from '../options/vwo-module-options.interface';
import { VWO_LOGGER, VWO_OPTIONS, VWO_STORAGE } from '../vwo.constants';
import { RateLimitedWarning } from './rate-limited-warning';
import type { VWOStorage } from './vwo-storage.interface';

const NOTHING_STORED: StoredLookup = () => undefined;
const TIMED_OUT = Symbol('timed out');

/**
 * getFlag's only door to storage: parallel reads bounded by `storageTimeout`, fire-and-forget writes.
 * A storage that throws, rejects or hangs is logged (rate-limited) and the decision goes on without it.
 */
@Injectable()
export class VWOStorageAccess {
  private readonly readWarning: RateLimitedWarning;
  private readonly writeWarning: RateLimitedWarning;
  private readonly timeoutMs: number;

  constructor(
    @Optional() @Inject(VWO_STORAGE) private readonly storage: VWOStorage | null,
    @Inject(VWO_OPTIONS) options: VWOResolvedOptions,
    @Inject(VWO_LOGGER) logger: VWOLogger,
  ) {
    this.timeoutMs = options.storageTimeout;
    this.readWarning = new RateLimitedWarning(logger);
    this.writeWarning = new RateLimitedWarning(logger);
  }

  get enabled(): boolean {
    return !!this.storage;
  }

  /** Reads every key for one user at once; what fails or times out counts as "nothing stored". */
  async read(keys: readonly string[], userId: string): Promise<StoredLookup> {
    if (!this.storage || keys.length === 0) return NOTHING_STORED;
    const records = await Promise.all(keys.map((key) => this.readOne(key, userId)));
    const byKey = new Map<string, StoredRecord>();
    keys.forEach((key, i) => {
      const record = records[i];
      if (record) byKey.set(key, record);
    });
    return byKey.size ? (key) => byKey.get(key) : NOTHING_STORED;
  }

  /** Starts the writes and returns at once; failures are logged. */
  write(records: readonly StoredRecord[]): void {
    if (!this.storage) return;
    for (const record of records) {
      try {
        Promise.resolve(this.storage.set(record)).catch((err: unknown) => this.onWriteError(record, err));
      } catch (err) {
        this.onWriteError(record, err);
      }
    }
  }

  private async readOne(featureKey: string, userId: string): Promise<StoredRecord | null | undefined> {
    try {
      const result = this.storage!.get(featureKey, userId);
      // A synchronous store (the in-memory default) answers at once: no timer on the hot path.
      const record = isThenable(result) ? await this.withTimeout(featureKey, result) : result;
      return record && typeof record === 'object' ? record : null;
    } catch (err) {
      this.readWarning.warn(`Storage read for feature "${featureKey}" failed; deciding without it. Error: ${describeError(err)}`);
      return null;
    }
  }

  private async withTimeout<T>(featureKey: string, pending: PromiseLike<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.timeoutMs);
      timer.unref();
    });
    try {
      const result = await Promise.race([pending, timeout]);
      if (result !== TIMED_OUT) return result as T;
      this.readWarning.warn(`Storage read for feature "${featureKey}" took over ${this.timeoutMs} ms; deciding without it`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private onWriteError(record: StoredRecord, err: unknown): void {
    this.writeWarning.warn(`Storage write for feature "${record.featureKey}" failed. Error: ${describeError(err)}`);
  }
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return !!value && typeof (value as PromiseLike<T>).then === 'function';
}
