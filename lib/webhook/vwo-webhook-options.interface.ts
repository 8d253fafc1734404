/**
 * The route VWO calls when settings change (configure its URL and secret in VWO's webhook settings). It
 * answers 202 at once and pulls the new settings; with a storage that fans out (VWORedisStorage), every
 * replica refreshes.
 */
export interface VWOWebhookOptions {
  /** Path of the POST route, outside any global prefix. @default '/vwo/webhook' */
  path?: string;
  /** The secret VWO sends in the `x-vwo-auth` header; any other request gets 401. */
  secret: string;
}

/** What the webhook layer reads of the module options. */
export interface VWOWebhookConfig {
  webhook?: VWOWebhookOptions;
  /** Offline a webhook call refreshes nothing, and there is no account to fan out for. */
  offline: boolean;
  accountId: string | number;
  sdkKey?: string;
}
