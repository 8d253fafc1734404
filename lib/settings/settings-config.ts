import type { VWOHostOptions } from '../network/vwo-hosts';
import type { VWORetryConfig } from '../network/retry-policy';
import type { VWOSdkMetaOptions } from '../sdk-info';

/** What the settings layer reads of the module options, defaults applied (VWOModuleOptions composes it). */
export interface VWOSettingsConfig extends VWOHostOptions {
  sdkKey?: string;
  accountId: string | number;
  /** No sdkKey: settings come only from `settings`, nothing is fetched. */
  offline: boolean;
  pollInterval?: number;
  /** The document to start from (offline, in tests, and while VWO is unreachable). */
  settings?: Record<string, unknown>;
  waitForSettings: number;
  settingsTimeout: number;
  maxSettingsBytes: number;
  retryConfig: Required<VWORetryConfig>;
  sdkMeta?: VWOSdkMetaOptions;
  isDevelopmentMode?: boolean;
  isAliasingEnabled?: boolean;
}
