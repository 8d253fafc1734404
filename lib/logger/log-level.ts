import type { VWOLogLevel } from './vwo-logger.interface';

/** Levels from most to least verbose. */
export const VWO_LOG_LEVELS: readonly VWOLogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Numeric rank of a level: a message is written when its rank is >= the configured one. */
export function logLevelRank(level: VWOLogLevel): number {
  return VWO_LOG_LEVELS.indexOf(level);
}
