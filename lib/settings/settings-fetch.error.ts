/** Why a settings fetch failed, as the retry policy and the log tell them apart. */
export type SettingsFailureKind = 'network' | 'http' | 'auth' | 'content' | 'too-large' | 'invalid' | 'shutdown';

/** The last attempt of a settings fetch failed. Its message never carries the SDK key. */
export class SettingsFetchError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly statusCode?: number,
    readonly kind: SettingsFailureKind = 'network',
  ) {
    super(message);
    this.name = 'SettingsFetchError';
  }
}
