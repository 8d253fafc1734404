import type { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AxiosResponse } from 'axios';
import { firstValueFrom } from 'rxjs';
import { redactSdkKey } from '../logger/mask-sdk-key';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { VWOSettingsConfig } from './settings-config';
import { sdkInfoFor } from '../sdk-info';
import { VWO_HTTP_SERVICE, VWO_LOGGER, VWO_SETTINGS_CONFIG } from '../vwo.internal-constants';
import { SettingsFailureKind, SettingsFetchError } from './settings-fetch.error';
import { vwoBaseUrl } from '../network/vwo-hosts';
import { VWOHttpAgents } from '../network/vwo-http-agents';

/** `v2-settings` for init and polling, `v2-pull` for webhook-triggered updates (docs/events.md). */
export type SettingsEndpoint = 'v2-settings' | 'v2-pull';

interface AttemptFailure {
  message: string;
  kind: SettingsFailureKind;
  retryable: boolean;
  statusCode?: number;
}

/**
 * Fetches one settings document through @nestjs/axios, as VWO's SDK does: same URL and parameter order,
 * only application/json accepted, 400 not retried, everything else retried per retryConfig with the same
 * URL. Unlike VWO's SDK, 401/403 (a wrong key or account: asking again at once cannot help) and a body
 * over maxSettingsBytes are not retried within the fetch either; the sync service backs off instead.
 * Each attempt is bounded by settingsTimeout; cancel() aborts in-flight requests and back-off waits.
 * Retries go to the debug log: the sync service logs the outage once. The body is handed over as text: the
 * store compares it with the text in use and parses it only when it differs, in slices (a body that is not
 * JSON is an invalid document, retried on the sync service's failure back-off).
 */
@Injectable()
export class SettingsFetcher {
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(VWO_HTTP_SERVICE) private readonly http: HttpService,
    @Inject(VWO_SETTINGS_CONFIG) private readonly options: VWOSettingsConfig,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
    @Optional() private readonly agents?: VWOHttpAgents,
  ) {}

  /** The exact URL of one fetch (the `r` cache buster is fixed per fetch and reused by its retries). */
  buildUrl(endpoint: SettingsEndpoint = 'v2-settings'): string {
    const { sdkKey, accountId, sdkMeta, isDevelopmentMode } = this.options;
    const sdk = sdkInfoFor(sdkMeta);
    const query = [
      `i=${sdkKey}`,
      `r=${Math.random()}`,
      `a=${accountId}`,
      'platform=server',
      `sn=${encodeURIComponent(sdk.name)}`,
      `sv=${encodeURIComponent(sdk.version)}`,
      'api-version=1',
    ];
    if (!isDevelopmentMode) query.push('s=prod');
    return `${vwoBaseUrl(this.options)}/server-side/${endpoint}?${query.join('&')}`;
  }

  /** Resolves the body (JSON text, not yet parsed), or rejects with SettingsFetchError after the last attempt. */
  async fetch(endpoint: SettingsEndpoint = 'v2-settings'): Promise<string> {
    const url = this.buildUrl(endpoint);
    const { shouldRetry, maxRetries, initialDelay, backoffMultiplier } = this.options.retryConfig;
    const attempts = 1 + (shouldRetry ? maxRetries : 0);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url);
      if (!('message' in outcome)) return outcome.text;
      const last = attempt >= attempts || !outcome.retryable || this.shutdown.signal.aborted;
      if (last) throw new SettingsFetchError(outcome.message, attempt, outcome.statusCode, outcome.kind);
      const delayS = initialDelay * backoffMultiplier ** (attempt - 1);
      this.logger.debug(`Settings request failed: ${outcome.message}. Retrying in ${delayS} s, attempt ${attempt} of ${attempts - 1}`);
      await this.sleep(delayS * 1000);
    }
  }

  /** Aborts in-flight requests and retry waits for good (called on shutdown). */
  cancel(): void {
    this.shutdown.abort();
  }

  private async attempt(url: string): Promise<{ text: string } | AttemptFailure> {
    if (this.shutdown.signal.aborted) return { message: 'shutting down', kind: 'shutdown', retryable: false };
    const { settingsTimeout: timeout, maxSettingsBytes } = this.options;
    let response: AxiosResponse<string>;
    try {
      response = await firstValueFrom(
        this.http.get<string>(url, {
          timeout,
          signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(timeout)]),
          responseType: 'text',
          transformResponse: (data: string) => data,
          validateStatus: () => true,
          maxContentLength: maxSettingsBytes,
          ...this.agents?.requestOptions,
        }),
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/maxContentLength/.test(message)) {
        const limit = `maxSettingsBytes (${maxSettingsBytes} bytes)`;
        return { message: `the settings document is larger than ${limit}; raise maxSettingsBytes if it is expected`, kind: 'too-large', retryable: false };
      }
      return { message: redactSdkKey(message || 'network error', this.options.sdkKey), kind: 'network', retryable: true };
    }
    return this.interpret(response);
  }

  private interpret(response: AxiosResponse<string>): { text: string } | AttemptFailure {
    const { status } = response;
    if (status === 401 || status === 403) {
      return { message: `HTTP ${status}`, kind: 'auth', retryable: false, statusCode: status };
    }
    if (status < 200 || status >= 300) {
      return { message: `HTTP ${status}`, kind: 'http', retryable: status !== 400, statusCode: status };
    }
    const contentType = String(response.headers['content-type'] ?? '');
    if (!/^application\/json/i.test(contentType)) {
      return { message: `unexpected content type "${contentType}"`, kind: 'content', retryable: true, statusCode: status };
    }
    return { text: String(response.data) };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.shutdown.signal;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
