import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { isDefaultVWOInstance, VWO_INSTANCE_NAME } from '../instances/vwo-instance.tokens';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { VWOWebhookConfig } from './vwo-webhook-options.interface';
import { RateLimitedWarning } from '../storage/rate-limited-warning';
import { VWO_LOGGER, VWO_WEBHOOK_CONFIG } from '../vwo.internal-constants';
import { WebhookRefreshService } from './webhook-refresh.service';

export const DEFAULT_WEBHOOK_PATH = '/vwo/webhook';
/** The header in which VWO sends the webhook's secret. */
export const WEBHOOK_AUTH_HEADER = 'x-vwo-auth';

/** What the handler reads of a request: Express's and Fastify's both have it. */
interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The `webhook` option's route, registered straight on the HTTP adapter (Express or Fastify) while the
 * module initialises: it is outside controllers, so no guard, interceptor or global prefix of the app
 * applies (VWO cannot log in, and the route needs no user). A call with the right `x-vwo-auth` is answered
 * 202 at once and triggers a coalesced pull; any other gets 401 and changes nothing.
 */
@Injectable()
export class VWOWebhookRoute implements OnModuleInit {
  private readonly refusedWarning: RateLimitedWarning;
  private secretDigest?: Buffer;

  constructor(
    @Inject(VWO_WEBHOOK_CONFIG) private readonly options: VWOWebhookConfig,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
    private readonly refresh: WebhookRefreshService,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
    @Optional() @Inject(VWO_INSTANCE_NAME) private readonly instance?: string,
  ) {
    this.refusedWarning = new RateLimitedWarning(logger);
  }

  onModuleInit(): void {
    const webhook = this.options.webhook;
    if (!webhook) return;
    const adapter = this.adapterHost?.httpAdapter;
    // Each named instance gets a path of its own by default: two instances cannot answer one route.
    const path = webhook.path ?? (isDefaultVWOInstance(this.instance) ? DEFAULT_WEBHOOK_PATH : `${DEFAULT_WEBHOOK_PATH}/${this.instance}`);
    if (!adapter) {
      this.logger.warn(`webhook: this application has no HTTP server, so POST ${path} is not served`);
      return;
    }
    if (this.options.offline) this.logger.warn('webhook: the module runs offline (no SDK key configured), so a webhook call refreshes nothing');
    this.secretDigest = digest(webhook.secret);
    adapter.post(path, (request: WebhookRequest, response: unknown) => {
      if (!this.authorized(request.headers[WEBHOOK_AUTH_HEADER])) {
        this.refusedWarning.warn(`Webhook call refused: missing or wrong ${WEBHOOK_AUTH_HEADER} header`);
        adapter.reply(response, { statusCode: 401, message: 'Unauthorized' }, 401);
        return;
      }
      adapter.reply(response, { statusCode: 202, message: 'Accepted' }, 202);
      this.refresh.trigger();
    });
    this.logger.info(`Webhook route POST ${path} registered`);
  }

  /** Compares digests, so that neither the content nor the length of the secret leaks through timing. */
  private authorized(header: string | string[] | undefined): boolean {
    if (typeof header !== 'string' || !this.secretDigest) return false;
    return timingSafeEqual(digest(header), this.secretDigest);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
