import { Inject, Injectable } from '@nestjs/common';
import { compileSettings } from '../engine';
import { assertSegmentDepth } from '../engine/settings/segment-depth';
import type { EngineLogger } from '../engine/types';
import type { SettingsSnapshot } from '../engine/contract';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { VWO_LOGGER } from '../vwo.constants';

/** Where a settings document came from. */
export type SettingsSource = 'fetch' | 'option' | 'update' | 'cache';

/** What apply() did with a document. */
export type ApplyResult = 'updated' | 'unchanged' | 'invalid';

const SOURCE_VERBS: Readonly<Record<SettingsSource, string>> = { fetch: 'updated', update: 'updated', option: 'loaded from options', cache: 'loaded from the storage cache' };

export type SettingsListener = (snapshot: SettingsSnapshot, source: SettingsSource) => void;

/**
 * The current settings: one immutable snapshot behind one reference, swapped whole when a new valid
 * document arrives. An invalid document is logged and the last good snapshot stays.
 */
@Injectable()
export class SettingsStore {
  private current?: SettingsSnapshot;
  private currentJson?: string;
  private readonly listeners: SettingsListener[] = [];
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

  /** Validates and compiles a document, then swaps it in; a document equal to the current one is a no-op. */
  apply(raw: unknown, source: SettingsSource): ApplyResult {
    const json = safeStringify(raw);
    if (json !== undefined && json === this.currentJson) {
      this.markGood();
      this.logger.debug('No change in settings since the last fetch');
      return 'unchanged';
    }
    let snapshot: SettingsSnapshot;
    try {
      assertSegmentDepth(raw);
      snapshot = compileSettings(raw, { logger: this.compileLogger(raw) });
    } catch (err) {
      this.recordFailure(`settings document rejected: ${describe(err)}`);
      // A fetched document is a failed fetch: the sync service logs it once per outage, not once per poll.
      if (source !== 'fetch') this.logger.error(`Settings are not valid (${describe(err)}); keeping the ${this.current ? 'previous settings' : 'module without settings'}`);
      return 'invalid';
    }
    this.current = snapshot;
    this.currentJson = json;
    this.source = source;
    this.lastChangedAt = new Date();
    this.markGood();
    this.logger.info(`Settings ${SOURCE_VERBS[source]} (version ${String(snapshot.version)})`);
    this.resolveReady();
    for (const listener of this.listeners) this.notify(listener, snapshot, source);
    return 'updated';
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

function safeStringify(raw: unknown): string | undefined {
  try {
    return JSON.stringify(raw);
  } catch {
    return undefined;
  }
}
