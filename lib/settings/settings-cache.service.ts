import { Inject, Injectable, Optional } from '@nestjs/common';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { maskSdkKey } from '../logger/mask-sdk-key';
import type { VWOSettingsConfig } from './settings-config';
import type { VWOCachedSettings, VWOStorage } from '../storage/vwo-storage.interface';
import { VWO_STORAGE } from '../vwo.constants';
import { VWO_LOGGER, VWO_SETTINGS_CONFIG } from '../vwo.internal-constants';
import { SettingsStore } from './settings-store';

/** How long a cached document is fresh enough to boot on, unless the storage says otherwise (VWO's default). */
export const DEFAULT_SETTINGS_CACHE_TTL_MS = 7_200_000;

type CachingStorage = VWOStorage & Required<Pick<VWOStorage, 'getSettings' | 'setSettings'>>;

/**
 * The settings cache of a storage that offers one (getSettings / setSettings). At boot a fresh-enough
 * cached document is used at once; an older one is kept for when VWO cannot be reached (any valid document
 * beats none). Every fetched document is written back with its fetch time, so the fleet shares its
 * last-known-good. A document of another account or SDK key is never used. Failures only cost the cache.
 */
@Injectable()
export class SettingsCacheService {
  private readonly storage?: CachingStorage;
  /** A valid cached document too old to boot on, kept until the first fetch succeeds. */
  private fallback?: VWOCachedSettings;
  private fetched = false;
  /** Fetch time of the document in use (0: none from VWO or the cache yet). */
  private currentTimestamp = 0;
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(
    @Inject(VWO_SETTINGS_CONFIG) private readonly options: VWOSettingsConfig,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
    private readonly store: SettingsStore,
    @Optional() @Inject(VWO_STORAGE) storage: VWOStorage | null,
  ) {
    if (!options.offline && storage && typeof storage.getSettings === 'function' && typeof storage.setSettings === 'function') {
      this.storage = storage as CachingStorage;
    }
  }

  get enabled(): boolean {
    return this.storage !== undefined;
  }

  /** When the settings in use were fetched from VWO (epoch ms; 0 before any). */
  get timestamp(): number {
    return this.currentTimestamp;
  }

  /**
   * At boot, before the first fetch: applies a cached document fresh enough to boot on (true), or keeps an
   * older one for useFallback(). Bounded by `settingsTimeout`.
   */
  async restore(): Promise<boolean> {
    const cached = await this.read();
    if (!cached) return false;
    const ttl = this.storage!.settingsTtl ?? DEFAULT_SETTINGS_CACHE_TTL_MS;
    if (Date.now() - cached.timestamp > ttl) {
      this.fallback = cached;
      this.logger.debug(`Cached settings are ${describeAge(cached.timestamp)} old (older than ${ttl} ms): fetching from VWO, keeping them in case it fails`);
      return false;
    }
    return this.use(cached, 'fresh enough to boot on; refreshing from VWO in the background');
  }

  /** Boot ends without settings from VWO: an older cached document beats none. */
  async useFallback(): Promise<void> {
    const cached = this.fallback;
    this.fallback = undefined;
    if (cached && !this.fetched) await this.use(cached, 'VWO could not be reached at boot');
  }

  /**
   * Applies the cached document when it is newer than the one in use (and at least `notBefore`, when
   * given). False when it is not, or the cache cannot be read: the caller fetches from VWO instead.
   */
  async applyIfNewer(notBefore = 0): Promise<boolean> {
    const cached = await this.read();
    if (!cached || cached.timestamp < notBefore || cached.timestamp <= this.currentTimestamp) return false;
    return this.use(cached, 'another replica fetched them');
  }

  /** Records a document just fetched from VWO and writes it to the cache in the background. */
  saveFetched(document: unknown, fetchedAt = Date.now()): void {
    this.fetched = true;
    this.fallback = undefined;
    this.currentTimestamp = fetchedAt;
    const storage = this.storage;
    if (!storage || !isObject(document)) return;
    const settings = this.withOwner(document);
    this.lastWrite = Promise.resolve()
      .then(() => storage.setSettings({ settings, timestamp: fetchedAt }))
      .catch((err: unknown) => this.logger.warn(`Settings could not be written to the storage cache: ${describe(err)}`));
  }

  /** Resolves when the last cache write is done (it never rejects). */
  written(): Promise<void> {
    return this.lastWrite;
  }

  private async use(cached: VWOCachedSettings, why: string): Promise<boolean> {
    // A document fetched meanwhile is at least as new as any cached one.
    if (this.fetched && cached.timestamp <= this.currentTimestamp) return false;
    // No document back: invalid, stale by its turn in the apply queue, or replaced there by a newer one.
    if (!(await this.store.submit({ document: cached.settings }, 'cache', cached.timestamp)).document) return false;
    this.currentTimestamp = cached.timestamp;
    this.logger.info(`Using cached settings fetched ${describeAge(cached.timestamp)} ago (${why})`);
    return true;
  }

  /** The cached document of this account and SDK key, or undefined (none, another owner's, unreadable). */
  private async read(): Promise<VWOCachedSettings | undefined> {
    const storage = this.storage;
    if (!storage) return undefined;
    const { sdkKey } = this.options;
    const accountId = String(this.options.accountId);
    let cached: VWOCachedSettings | null | undefined;
    try {
      cached = await bounded(Promise.resolve().then(() => storage.getSettings(accountId, sdkKey!)), this.options.settingsTimeout);
    } catch (err) {
      this.logger.warn(`Cached settings could not be read: ${describe(err)}`);
      return undefined;
    }
    if (!cached || !isObject(cached.settings) || typeof cached.timestamp !== 'number') return undefined;
    const owner = ownerOf(cached.settings);
    if (owner.accountId !== accountId || owner.sdkKey !== sdkKey) {
      this.logger.info(
        `Ignoring cached settings of account ${owner.accountId ?? '<none>'} and SDK key ${maskSdkKey(owner.sdkKey)}: ` +
          `this module is account ${accountId} with SDK key ${maskSdkKey(sdkKey)}`,
      );
      return undefined;
    }
    return cached;
  }

  /** The document with this module's account id and SDK key when it lacks them, so that a reader can check whose it is. */
  private withOwner(document: Record<string, unknown>): Record<string, unknown> {
    const owner = ownerOf(document);
    if (owner.accountId !== undefined && owner.sdkKey !== undefined) return document;
    return {
      ...document,
      ...(owner.accountId === undefined ? { accountId: this.options.accountId } : {}),
      ...(owner.sdkKey === undefined ? { sdkKey: this.options.sdkKey } : {}),
    };
  }
}

/** Whose a document is, by its own fields (VWO spells them long or short). */
function ownerOf(settings: Record<string, unknown>): { accountId?: string; sdkKey?: string } {
  const accountId = settings.accountId ?? settings.a;
  const sdkKey = settings.sdkKey ?? settings.sK;
  return {
    accountId: typeof accountId === 'string' || typeof accountId === 'number' ? String(accountId) : undefined,
    sdkKey: typeof sdkKey === 'string' ? sdkKey : undefined,
  };
}

function describeAge(timestamp: number): string {
  const seconds = Math.max(0, Math.round((Date.now() - timestamp) / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
