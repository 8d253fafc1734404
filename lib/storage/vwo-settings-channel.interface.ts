/** A settings refresh one replica announces to the others. */
export interface VWOSettingsChange {
  /** The module instance that refreshed (a replica ignores its own announcements). */
  origin: string;
  /** When it fetched the new document, in epoch milliseconds (the `timestamp` it cached it with). */
  timestamp: number;
}

/** What a subscriber is told. */
export interface VWOSettingsChangeHandlers {
  /** Another replica (or this one) refreshed. */
  onChange(change: VWOSettingsChange): void;
  /** The subscription was lost and is back: announcements may have been missed meanwhile. */
  onResubscribed(): void;
}

/** An open subscription. */
export interface VWOSettingsSubscription {
  close(): Promise<void>;
}

/**
 * Fan-out of settings refreshes across replicas, one channel per account and environment (SDK key).
 * A storage that offers it (VWORedisStorage, over Redis pub/sub) lets a webhook reaching one replica
 * refresh them all. Publishing is best effort: a failure rejects and the caller logs it.
 */
export interface VWOSettingsChannel {
  publishSettingsChange(accountId: string, sdkKey: string, change: VWOSettingsChange): Promise<void>;
  subscribeSettingsChanges(accountId: string, sdkKey: string, handlers: VWOSettingsChangeHandlers): Promise<VWOSettingsSubscription>;
}

/** True when the storage can announce settings changes to other replicas. */
export function isSettingsChannel(storage: unknown): storage is VWOSettingsChannel {
  const candidate = storage as Partial<VWOSettingsChannel> | null | undefined;
  return typeof candidate?.publishSettingsChange === 'function' && typeof candidate.subscribeSettingsChanges === 'function';
}
