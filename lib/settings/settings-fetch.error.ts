/** The last attempt of a settings fetch failed; `retryable` is false for answers VWO never retries (HTTP 400). */
export class SettingsFetchError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'SettingsFetchError';
  }
}
