import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import type { GatewayUserData, VWOUserContext } from '../engine/types';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { VWOResolvedOptions } from '../options/vwo-module-options.interface';
import { RateLimitedWarning } from '../storage/rate-limited-warning';
import { DEFAULT_GATEWAY_TIMEOUT_MS, VWO_LOGGER, VWO_OPTIONS } from '../vwo.constants';
import { gatewayOrigin } from './vwo-hosts';

/**
 * Location and parsed user agent from VWO's gateway (`GET /get-user-details`, network.md §10.2), for the
 * features whose segments need them. One short attempt: a slow or failing gateway costs a request at most
 * DEFAULT_GATEWAY_TIMEOUT_MS and the decision goes on without the data.
 */
@Injectable()
export class GatewayUserDetailsClient {
  private readonly warning: RateLimitedWarning;

  constructor(
    private readonly http: HttpService,
    @Inject(VWO_OPTIONS) private readonly options: VWOResolvedOptions,
    @Inject(VWO_LOGGER) logger: VWOLogger,
  ) {
    this.warning = new RateLimitedWarning(logger);
  }

  get configured(): boolean {
    return !!this.options.gatewayService;
  }

  async fetch(context: VWOUserContext): Promise<GatewayUserData | undefined> {
    const gateway = this.options.gatewayService;
    if (!gateway) return undefined;
    const params = [
      context.userAgent !== undefined ? `userAgent=${encodeURIComponent(context.userAgent)}` : '',
      context.ipAddress !== undefined ? `ipAddress=${encodeURIComponent(context.ipAddress)}` : '',
      `accountId=${encodeURIComponent(String(this.options.accountId))}`,
    ].filter(Boolean);
    const url = `${gatewayOrigin(gateway)}/get-user-details?${params.join('&')}`;
    try {
      const response = await firstValueFrom(
        this.http.get<unknown>(url, { timeout: DEFAULT_GATEWAY_TIMEOUT_MS, signal: AbortSignal.timeout(DEFAULT_GATEWAY_TIMEOUT_MS) }),
      );
      const data = response.data;
      return data && typeof data === 'object' ? (data as GatewayUserData) : undefined;
    } catch (err) {
      this.warning.warn(`Gateway user details could not be fetched; deciding without them. Error: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
}
