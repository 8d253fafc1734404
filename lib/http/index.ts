export { FeatureFlag } from './feature-flag.decorator';
export { SkipFeatureFlag } from './skip-feature-flag.decorator';
export type { FeatureFlagOptions, FeatureFlagMetadata } from './feature-flag-options.interface';
export { FeatureFlagGuard } from './feature-flag.guard';
export { Flag, FlagVariable } from './flag.decorator';
export { FlagParamPipe, type FlagParamData } from './flag-param.pipe';
export { VWOContextInterceptor } from './vwo-context.interceptor';
export { requestOfContext } from './request-of-context';
export type { VWOHttpOptions } from './vwo-request-flags';
