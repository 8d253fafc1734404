import type { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import type { VWOUserContext } from '../engine/types';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { VWOSettingsConfig } from './settings-config';
import { DEFAULT_GATEWAY_TIMEOUT_MS } from '../vwo.constants';
import { VWO_HTTP_SERVICE, VWO_LOGGER, VWO_SETTINGS_CONFIG } from '../vwo.internal-constants';
import { gatewayOrigin } from '../network/vwo-hosts';
import { VWOHttpAgents } from '../network/vwo-http-agents';

export const GET_ALIAS_PATH = '/user-alias/getAliasUserId';
export const SET_ALIAS_PATH = '/user-alias/setUserAlias';

/** One entry of the gateway's alias lookup answer. */
interface AliasEntry {
  userId?: unknown;
  aliasId?: unknown;
}

/**
 * User aliasing through VWO's gateway service (`isAliasingEnabled`): an id the app knows a user by (say, an
 * anonymous cookie id) is mapped to the id VWO buckets them with, so a user keeps their variations after
 * logging in. With aliasing on, every getFlag/trackEvent/setAttribute asks the gateway first; `setAlias`
 * records a mapping. The module refuses to start with aliasing on and no gateway.
 */
@Injectable()
export class UserAliasClient {
  readonly enabled: boolean;

  constructor(
    @Inject(VWO_HTTP_SERVICE) private readonly http: HttpService,
    @Inject(VWO_SETTINGS_CONFIG) private readonly options: VWOSettingsConfig,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
    @Optional() private readonly agents?: VWOHttpAgents,
  ) {
    this.enabled = options.isAliasingEnabled === true && options.gatewayService !== undefined;
  }

  /**
   * The context with `id` replaced by the user id the gateway maps it to (the entry whose aliasId is exactly
   * `context.id`, as VWO compares), or unchanged when there is none. Rejects when the lookup fails: then, as
   * with VWO, the API call fails rather than deciding for the wrong user.
   */
  async resolve(context: VWOUserContext): Promise<VWOUserContext> {
    const id = context.id;
    const query = this.query({ userId: JSON.stringify([id]) });
    const answer = await this.request('GET', `${GET_ALIAS_PATH}?${query}`);
    if (!Array.isArray(answer)) throw new Error(`the gateway's alias lookup answered ${describeValue(answer)}, not a list`);
    const match = (answer as AliasEntry[]).find((entry) => entry?.aliasId === id);
    const userId = match?.userId;
    return userId ? { ...context, id: userId as VWOUserContext['id'] } : context;
  }

  /**
   * Maps `aliasId` to the user (a context or a user id): `POST /user-alias/setUserAlias`. Resolves false, with a
   * log line saying why, when aliasing is off, an id is empty or both are the same, or the gateway fails.
   */
  async setAlias(contextOrUserId: VWOUserContext | string, aliasId: string): Promise<boolean> {
    try {
      if (!this.enabled) throw new Error('aliasing is off: set isAliasingEnabled (with gatewayService) in the module options');
      const userId = userIdOf(contextOrUserId);
      if (typeof aliasId !== 'string' || !aliasId.trim()) throw new Error('aliasId must be a non-empty string');
      const alias = aliasId.trim();
      if (userId === alias) throw new Error('the user id and the aliasId must differ');
      const query = this.query({ userId, aliasId: alias });
      await this.request('POST', `${SET_ALIAS_PATH}?${query}`, { userId, aliasId: alias });
      return true;
    } catch (err) {
      this.logger.error(`setAlias failed: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  /** accountId and sdkKey first, as VWO orders them; values encoded so none can break the query. */
  private query(values: Record<string, string>): string {
    const all = { accountId: String(this.options.accountId), sdkKey: this.options.sdkKey ?? '', ...values };
    return Object.entries(all)
      .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
      .join('&');
  }

  private async request(method: 'GET' | 'POST', pathAndQuery: string, body?: object): Promise<unknown> {
    const url = `${gatewayOrigin(this.options.gatewayService!)}${pathAndQuery}`;
    const config = { timeout: DEFAULT_GATEWAY_TIMEOUT_MS, signal: AbortSignal.timeout(DEFAULT_GATEWAY_TIMEOUT_MS), ...this.agents?.requestOptions };
    const response = await firstValueFrom(method === 'GET' ? this.http.get<unknown>(url, config) : this.http.post<unknown>(url, body, config));
    return response.data;
  }
}

/** The user id of setAlias's first argument: a non-empty string, or a context's id (trimmed, as VWO does). */
function userIdOf(contextOrUserId: VWOUserContext | string): string {
  const raw = typeof contextOrUserId === 'string' ? contextOrUserId : contextOrUserId?.id;
  if (raw === undefined || raw === null || Array.isArray(raw) || typeof raw === 'object') {
    throw new Error('the first argument must be a user id or a context with an id');
  }
  const userId = String(raw).trim();
  if (!userId) throw new Error('the user id must not be empty');
  return userId;
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.slice(0, 100);
}
