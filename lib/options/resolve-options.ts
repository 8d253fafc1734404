import {
  DEFAULT_SETTINGS_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_STORAGE_TIMEOUT_MS,
  DEFAULT_USER_ID_HEADER,
  DEFAULT_WAIT_FOR_SETTINGS_MS,
  DEFAULT_MAX_SETTINGS_BYTES,
} from '../vwo.constants';
import { validateVWOOptions } from './validate-options';
import type { VWOResolvedOptions } from './vwo-module-options.interface';
import { DEFAULT_RETRY_CONFIG } from '../network/retry-policy';
import { VWOOptionsError } from '../vwo-options.error';

/** Validates the options (throws VWOOptionsError) and applies every default. */
export function resolveVWOOptions(raw: unknown): VWOResolvedOptions {
  const options = validateVWOOptions(raw);
  const accountId = options.accountId ?? (options.settings?.accountId as string | number | undefined);
  if (accountId === undefined) {
    throw new VWOOptionsError(['accountId: is required: your VWO account id (the offline `settings` document has none either)']);
  }
  if (options.isAliasingEnabled === true && !options.gatewayService) {
    throw new VWOOptionsError([
      'isAliasingEnabled: needs gatewayService: VWO resolves aliases through its gateway service, e.g. gatewayService: { url: "https://gateway.example.com" }',
    ]);
  }
  return {
    ...options,
    accountId,
    offline: options.sdkKey === undefined,
    storageTimeout: options.storageTimeout ?? DEFAULT_STORAGE_TIMEOUT_MS,
    settingsTimeout: options.settingsTimeout ?? DEFAULT_SETTINGS_TIMEOUT_MS,
    waitForSettings: options.waitForSettings ?? DEFAULT_WAIT_FOR_SETTINGS_MS,
    maxSettingsBytes: options.maxSettingsBytes ?? DEFAULT_MAX_SETTINGS_BYTES,
    shutdownTimeout: options.shutdownTimeout ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    userIdHeader: options.userIdHeader ?? DEFAULT_USER_ID_HEADER,
    // A call that waits for its requests must not wait through retries (as VWO's SDK, for every request).
    retryConfig: { ...DEFAULT_RETRY_CONFIG, ...options.retryConfig, ...(options.shouldWaitForTrackingCalls ? { shouldRetry: false } : {}) },
  };
}
