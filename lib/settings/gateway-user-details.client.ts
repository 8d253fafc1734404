import type { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import type { DecideOptions, GatewayUserData, ListCheck, VWOUserContext } from '../engine';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { VWOGatewayServiceOptions } from '../network/vwo-hosts';
import type { VWOSettingsConfig } from './settings-config';
import { RateLimitedWarning } from '../storage/rate-limited-warning';
import { DEFAULT_GATEWAY_TIMEOUT_MS } from '../vwo.constants';
import { VWO_HTTP_SERVICE, VWO_LOGGER, VWO_SETTINGS_CONFIG } from '../vwo.internal-constants';
import { gatewayOrigin } from '../network/vwo-hosts';
import { VWOHttpAgents } from '../network/vwo-http-agents';

/**
 * VWO's gateway lookups for getFlag: location and parsed user agent (`GET /get-user-details`, docs/events.md
 * docs/events.md) and list membership for `inlist(<listId>)` segments (`GET /check-attribute`, docs/events.md). One short
 * attempt each: a slow or failing gateway costs a request at most DEFAULT_GATEWAY_TIMEOUT_MS and the
 * decision goes on without the answer.
 */
@Injectable()
export class GatewayUserDetailsClient {
  private readonly warning: RateLimitedWarning;
  private readonly listWarning: RateLimitedWarning;

  constructor(
    @Inject(VWO_HTTP_SERVICE) private readonly http: HttpService,
    @Inject(VWO_SETTINGS_CONFIG) private readonly options: VWOSettingsConfig,
    @Inject(VWO_LOGGER) logger: VWOLogger,
    @Optional() private readonly agents?: VWOHttpAgents,
  ) {
    this.warning = new RateLimitedWarning(logger);
    this.listWarning = new RateLimitedWarning(logger);
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
    try {
      const data = await this.get(gateway, `/get-user-details?${params.join('&')}`);
      return data && typeof data === 'object' ? (data as GatewayUserData) : undefined;
    } catch (err) {
      this.warning.warn(`Gateway user details could not be fetched; deciding without them. Error: ${describe(err)}`);
      return undefined;
    }
  }

  /**
   * Whether `attribute` is in VWO list `listId` (docs/segmentation.md). A falsy answer, "false" or
   * `{ status: 0 }` means no; so does any failure (logged, rate-limited), or no gateway at all.
   */
  async checkAttribute(attribute: string, listId: string): Promise<boolean> {
    const gateway = this.options.gatewayService;
    if (!gateway) return false;
    // VWO's SDK sends these raw; encodeURIComponent leaves URL-safe values unchanged and keeps the others
    // (spaces, &, #, …) from breaking the query, so the gateway reads the same values either way.
    const query = [
      `attribute=${encodeURIComponent(attribute)}`,
      `listId=${encodeURIComponent(listId)}`,
      `accountId=${encodeURIComponent(String(this.options.accountId))}`,
    ].join('&');
    try {
      return isMember(await this.get(gateway, `/check-attribute?${query}`));
    } catch (err) {
      this.listWarning.warn(`Gateway list check for list "${listId}" failed; treating the user as not in the list. Error: ${describe(err)}`);
      return false;
    }
  }

  /**
   * The answers to a decision's `inlist(<listId>)` checks (its plan's listChecks: one gateway request per distinct
   * list and value, in parallel), or undefined without a gateway or checks: then nothing is done at all.
   */
  listMembership(listChecks: readonly ListCheck[]): Promise<ListMembership> | undefined {
    if (!this.configured || listChecks.length === 0) return undefined;
    const checks = new Map<string, Promise<boolean>>();
    for (const { listId, attribute } of listChecks) checks.set(listKey(listId, attribute), this.checkAttribute(attribute, listId));
    return membershipOf(checks);
  }

  private async get(gateway: VWOGatewayServiceOptions, pathAndQuery: string): Promise<unknown> {
    const response = await firstValueFrom(
      this.http.get<unknown>(`${gatewayOrigin(gateway)}${pathAndQuery}`, {
        timeout: DEFAULT_GATEWAY_TIMEOUT_MS,
        signal: AbortSignal.timeout(DEFAULT_GATEWAY_TIMEOUT_MS),
        ...this.agents?.requestOptions,
      }),
    );
    return response.data;
  }
}

/** decide()'s list answers: whether a value is in a list. */
export type ListMembership = NonNullable<DecideOptions['inList']>;

function listKey(listId: string, attribute: string): string {
  return `${listId}\u0000${attribute}`;
}

/** A membership function over the settled gateway answers (keyed by listKey). */
async function membershipOf(checks: ReadonlyMap<string, Promise<boolean>>): Promise<ListMembership> {
  const answers = await Promise.all([...checks].map(async ([key, member]) => [key, await member] as const));
  const members = new Set(answers.filter(([, member]) => member).map(([key]) => key));
  return (listId, attribute) => members.has(listKey(listId, attribute));
}

function isMember(data: unknown): boolean {
  if (!data || data === 'false') return false;
  return !(typeof data === 'object' && (data as { status?: unknown }).status === 0);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
