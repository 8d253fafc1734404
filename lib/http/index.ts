export { FeatureFlag, createFeatureFlagDecorator, type FeatureFlagDecorator } from './feature-flag.decorator';
export { SkipFeatureFlag } from './skip-feature-flag.decorator';
export type { FeatureFlagOptions, FeatureFlagMetadata } from './feature-flag-options.interface';
export { FeatureFlagGuard } from './feature-flag.guard';
export { Flag, FlagVariable, type FlagParamOptions } from './flag.decorator';
export { FlagParamPipe, type FlagParamData } from './flag-param.pipe';
export { VWOContextInterceptor } from './vwo-context.interceptor';
export { FEATURE_DISABLED_CODE, type FeatureDisabledPayload } from './feature-disabled.payload';
export type { VWOHttpOptions } from './vwo-request-flags';
