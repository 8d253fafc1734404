import { logLevelRank } from '../logger/log-level';
import type { VWOLogLevel } from '../logger/vwo-logger.interface';
import type { EventsOptions } from './events-options.interface';

/** The options `vwo_sdkUsageStats` describes. */
export type UsageStatsOptions = Pick<EventsOptions, 'accountId' | 'sdkKey' | 'integrations' | 'logger' | 'storage' | 'gatewayService' | 'pollInterval' | 'shouldWaitForTrackingCalls'>;

/**
 * `vwoMeta` of `vwo_sdkUsageStats`: which options are in use, with VWO's keys and in VWO's order; a flag is
 * present only when set. `eb` says whether events are batched (VWO's newest SDKs batch by default, as we do).
 * VWO's `_ea` stands for an option this module does not have (`_vwo_meta`), so it never appears.
 */
export function usageStatsMeta(options: UsageStatsOptions, batching: boolean): Record<string, string | number> {
  const meta: Record<string, string | number> = { a: options.accountId ?? '', env: options.sdkKey ?? '' };
  if (options.integrations) meta.ig = 1;
  if (batching) meta.eb = 1;
  const logger = options.logger as { transport?: unknown; level?: unknown; debug?: unknown } | undefined;
  // A logger object of the app's own, or a transport, is what VWO calls a custom logger.
  if (logger && (logger.transport || typeof logger.debug === 'function')) meta.cl = 1;
  if (options.storage) meta.ss = 1;
  if (logger && typeof logger.level === 'string' && logger.level) meta.ll = logLevelRank(logger.level.toUpperCase() as VWOLogLevel);
  if (options.gatewayService) meta.gs = 1;
  if (options.pollInterval) meta.pi = options.pollInterval;
  if (options.shouldWaitForTrackingCalls) meta.swtc = 1;
  meta.lv = process.version;
  return meta;
}
