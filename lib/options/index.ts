export * from './vwo-module-options.interface';
export * from './vwo-options.error';
export { DEFAULT_RETRY_CONFIG } from './resolve-options';
