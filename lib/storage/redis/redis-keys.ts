import { createHash } from 'node:crypto';

/**
 * Segment that marks the settings cache and its fan-out channel. Record keys escape every `%` of their
 * segments (escapeSegment), so no feature key or account id can ever produce this one.
 */
const SETTINGS_SEGMENT = '%settings';

/** `:` separates segments; `%` is escaped first so that the escaping itself stays reversible. */
export function escapeSegment(segment: string): string {
  return segment.replace(/%/g, '%25').replace(/:/g, '%3A');
}

/**
 * The settings of one account and environment: `<keyPrefix>:%settings:<accountId>:<sha256(sdkKey)>`.
 * The SDK key is a secret and key names show up in monitoring tools, so only its hash is used.
 */
export function settingsKey(keyPrefix: string, accountId: string, sdkKey: string): string {
  return `${keyPrefix}:${SETTINGS_SEGMENT}:${escapeSegment(accountId)}:${sdkKeyHash(sdkKey)}`;
}

/** The pub/sub channel on which replicas of one account and environment announce settings refreshes. */
export function settingsChannel(keyPrefix: string, accountId: string, sdkKey: string): string {
  return `${settingsKey(keyPrefix, accountId, sdkKey)}:changes`;
}

function sdkKeyHash(sdkKey: string): string {
  return createHash('sha256').update(sdkKey).digest('hex').slice(0, 32);
}
