import { isLoggerLike } from './is-logger-like';
import { DEFAULT_LOG_PREFIX } from '../vwo.constants';
import { VWODefaultLogger } from './vwo-default.logger';
import type { VWOLogger, VWOLoggerOptions } from './vwo-logger.interface';

/** The VWO_LOGGER provider's value: the user's logger instance as is, else the default logger configured by `logger`. */
export function createVWOLogger(option: VWOLoggerOptions | VWOLogger | undefined): VWOLogger {
  if (option && isLoggerLike(option)) return option as VWOLogger;
  const config = (option ?? {}) as VWOLoggerOptions;
  return new VWODefaultLogger(config.level ?? 'ERROR', config.prefix ?? DEFAULT_LOG_PREFIX, config.transport);
}
