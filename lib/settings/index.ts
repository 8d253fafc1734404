export { SettingsStore, SettingsSource, ApplyResult, SettingsListener } from './settings-store';
export { SettingsFetcher, SettingsEndpoint } from './settings-fetcher';
export { SettingsFetchError } from './settings-fetch.error';
export { SettingsSyncService } from './settings-sync.service';
export { vwoBaseUrl, originOf, gatewayOrigin } from './vwo-hosts';
export { SDK_META } from './sdk-meta';
