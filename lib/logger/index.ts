export * from './vwo-logger.interface';
export * from './vwo-default.logger';
export * from './mask-sdk-key';
export { createVWOLogger } from './create-vwo-logger';
export { VWO_LOG_LEVELS } from './log-level';
