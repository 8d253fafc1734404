/**
 * VWO's official Node SDK (vwo-fme-node-sdk@1.35, a test-only reference) created fully offline from a
 * settings object: its network client is replaced by an in-process stub that records and answers
 * every request, usage stats are off, logs are dropped, and the polling timer that `init` arms
 * synchronously is captured and cleared, so nothing leaves the process and nothing keeps it alive.
 *
 * The SDK keeps module-level singletons (segmentation evaluator, network manager, logger): call
 * getFlag on one client at a time and await each call before the next.
 */
import { init, type Flag, type IVWOClient, type IVWOOptions } from 'vwo-fme-node-sdk';

/** One request the SDK tried to send. */
export interface OfflineRequest {
  method: 'GET' | 'POST';
  path: string;
  eventName?: string;
  /** The JSON body of a POST (an event's payload). */
  body?: unknown;
}

/** A storage connector as the SDK calls it (promise-returning get/set). */
export interface OfficialStorageConnector {
  get(featureKey: string, userId: string): Promise<unknown>;
  set(record: Record<string, unknown>): Promise<void>;
}

/** What the SDK passes to `integrations.callback` at the end of a getFlag (decision details). */
export type IntegrationDecision = Record<string, unknown>;

export interface OfficialFlagResult {
  flag: Flag;
  /** Id of the variation the flag serves (read from the Flag's private field), if any. */
  variationId: unknown;
  /** The decision reported to the integrations callback by this call; absent when the call errored. */
  integration?: IntegrationDecision;
  /** The requests this call made (impressions), including the fire-and-forget ones. */
  sent: OfflineRequest[];
}

export interface OfficialSdk {
  readonly client: IVWOClient;
  readonly requests: readonly OfflineRequest[];
  getFlag(featureKey: string, context: Record<string, unknown>): Promise<Flag>;
  /** getFlag plus the decision details; the context is deep-copied (the SDK mutates it). */
  getFlagWithDecision(featureKey: string, context: Record<string, unknown>): Promise<OfficialFlagResult>;
}

export interface OfficialSdkOptions {
  /** Defaults to the settings' own accountId. */
  accountId?: string;
  sdkKey?: string;
  /**
   * 1.35 re-validates the whole settings document (superstruct) on every getFlag, which dominates its
   * cost. With this on, the document must be valid at init (else createOfficialSdk throws) and later
   * calls validate a minimal stand-in instead: same answer, decisions untouched (they read the models
   * built at init). Leave off when measuring the SDK's speed.
   */
  skipPerCallValidation?: boolean;
  /**
   * A storage connector (sticky decisions); none by default, as the SDK runs on a server. The SDK keeps it
   * process-wide: a later client created without one still reads it, so pass one that stores nothing instead.
   */
  storage?: OfficialStorageConnector;
}

/** The VWOClient fields the harness reads or swaps (public at runtime, absent from the typings). */
interface ClientInternals {
  isSettingsValid?: boolean;
  originalSettings?: Record<string, unknown>;
}

/** The subset of the SDK's RequestModel the stub reads. */
interface SdkRequest {
  getPath?(): string;
  getEventName?(): string;
  getBody?(): unknown;
}

type NetworkClient = NonNullable<NonNullable<IVWOOptions['network']>['client']>;

/** A 200 response with an empty body, shaped like the SDK's ResponseModel. */
const OK_RESPONSE = {
  getData: (): unknown => ({}),
  getStatusCode: (): number => 200,
  getError: (): undefined => undefined,
  getTotalAttempts: (): number => 0,
  getHeaders: (): Record<string, string> => ({}),
};

function offlineClient(requests: OfflineRequest[]): NetworkClient {
  const answer = (method: OfflineRequest['method'], request: SdkRequest): Promise<typeof OK_RESPONSE> => {
    requests.push({ method, path: request.getPath?.() ?? '', eventName: request.getEventName?.(), body: request.getBody?.() });
    return Promise.resolve(OK_RESPONSE);
  };
  const client = {
    GET: (request: SdkRequest) => answer('GET', request),
    POST: (request: SdkRequest) => answer('POST', request),
  };
  return client as unknown as NetworkClient;
}

/** Wraps setTimeout/setInterval until `restore()`, recording every timer armed meanwhile in `armed`. */
export function recordTimers(): { armed: NodeJS.Timeout[]; restore: () => void } {
  const realTimeout = globalThis.setTimeout;
  const realInterval = globalThis.setInterval;
  const armed: NodeJS.Timeout[] = [];
  const capture =
    <F extends (...args: never[]) => NodeJS.Timeout>(real: F) =>
    (...args: Parameters<F>): NodeJS.Timeout => {
      const timer = real(...args);
      armed.push(timer);
      return timer;
    };
  globalThis.setTimeout = Object.assign(capture(realTimeout as never), realTimeout);
  globalThis.setInterval = Object.assign(capture(realInterval as never), realInterval);
  const restore = (): void => {
    globalThis.setTimeout = realTimeout;
    globalThis.setInterval = realInterval;
  };
  return { armed, restore };
}

/**
 * Runs `start` recording its timers, then clears every one. The SDK's polling is a self-rescheduling
 * setTimeout armed synchronously inside init(); clearing the first one stops the chain.
 */
function withoutTimers<T>(start: () => T): T {
  const { armed, restore } = recordTimers();
  try {
    return start();
  } finally {
    restore();
    for (const timer of armed) clearTimeout(timer);
  }
}

function servedVariationId(flag: Flag): unknown {
  return (flag as unknown as { variation?: { id?: unknown } }).variation?.id;
}

function skipRevalidation(client: IVWOClient, settings: Record<string, unknown>): void {
  const internals = client as unknown as ClientInternals;
  if (internals.isSettingsValid !== true) throw new Error('official SDK rejected the settings document');
  internals.originalSettings = { accountId: settings.accountId, version: 1, campaigns: [] };
}

/** Creates an official SDK client from `settings` (deep-copied) with no network and no timers. */
export async function createOfficialSdk(
  settings: Record<string, unknown>,
  options: OfficialSdkOptions = {},
): Promise<OfficialSdk> {
  const requests: OfflineRequest[] = [];
  let lastIntegration: IntegrationDecision | undefined;
  const sdkOptions: IVWOOptions = {
    sdkKey: options.sdkKey ?? 'offline-differential-sdk-key-000',
    accountId: options.accountId ?? String(settings.accountId),
    settings: structuredClone(settings),
    network: { client: offlineClient(requests) },
    isUsageStatsDisabled: true,
    ...(options.storage ? { storage: options.storage } : {}),
    logger: { level: 'ERROR', transports: [{ log: () => undefined }] },
    integrations: {
      // A shallow copy is enough: the SDK builds a new decision object per call.
      callback: (properties) => {
        lastIntegration = { ...properties };
      },
    },
  };
  const client = await withoutTimers(() => init(sdkOptions));
  if (options.skipPerCallValidation) skipRevalidation(client, settings);

  const getFlag = (featureKey: string, context: Record<string, unknown>): Promise<Flag> =>
    client.getFlag(featureKey, structuredClone(context));

  return {
    client,
    requests,
    getFlag,
    async getFlagWithDecision(featureKey, context) {
      lastIntegration = undefined;
      const before = requests.length;
      const flag = await getFlag(featureKey, context);
      const integration = lastIntegration;
      // Impressions and storage writes are fire-and-forget promise chains: they have run by the next macrotask.
      await new Promise((resolve) => setImmediate(resolve));
      return { flag, variationId: servedVariationId(flag), integration, sent: requests.slice(before) };
    },
  };
}
