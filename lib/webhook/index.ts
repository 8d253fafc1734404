export { VWOWebhookRoute, DEFAULT_WEBHOOK_PATH, WEBHOOK_AUTH_HEADER } from './vwo-webhook.route';
export { WebhookRefreshService, WEBHOOK_PULL_MIN_GAP_MS } from './webhook-refresh.service';
export { SettingsFanoutService } from './settings-fanout.service';
