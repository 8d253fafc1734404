import { applyDecorators, SetMetadata, Type, UseGuards } from '@nestjs/common';
import type { VWOFlagKey, VWOFlagVariableCheck } from '../typed-flags/vwo-flag-registry';
import { FEATURE_FLAG_METADATA } from '../vwo.internal-constants';
import type { FeatureFlagMetadata, FeatureFlagOptions } from './feature-flag-options.interface';
import { FeatureFlagGuard } from './feature-flag.guard';

/** A `@FeatureFlag`-like decorator. */
export type FeatureFlagDecorator = (featureKey: string, options?: FeatureFlagOptions) => ClassDecorator & MethodDecorator;

/**
 * Builds a decorator like `@FeatureFlag` that applies your subclass of FeatureFlagGuard instead of ours
 * (`@FeatureFlag` always attaches FeatureFlagGuard itself). `@SkipFeatureFlag`, `@Flag`, `@FlagVariable`
 * and the module's GraphQL field gating work with it the same way.
 * @example export const TenantFeatureFlag = createFeatureFlagDecorator(TenantFeatureFlagGuard);
 * @publicApi
 */
export function createFeatureFlagDecorator(guard: Type<FeatureFlagGuard>): FeatureFlagDecorator {
  return (featureKey, options = {}) => {
    const metadata: FeatureFlagMetadata = { featureKey, options };
    // No interceptor here: Nest's interceptor pipeline alone costs far more than the 5% budget of the
    // guard on HTTP; the guard makes the user current itself (FeatureFlagGuard.enterContext), and the
    // module adds the interceptor to gated handlers of other transports (FeatureFlagExplorer).
    return applyDecorators(SetMetadata(FEATURE_FLAG_METADATA, metadata), UseGuards(guard));
  };
}

const featureFlag = createFeatureFlagDecorator(FeatureFlagGuard);

/**
 * Serves the route(s) only to users for whom the flag is enabled. Others get 404 on HTTP (the route is
 * hidden), a GraphQL error with `extensions.code` FEATURE_DISABLED, an RpcException or a WsException,
 * unless a status (HTTP) or exception is configured here or module-wide. On a controller, resolver or
 * gateway it gates every handler; a handler's own `@FeatureFlag` replaces the class's, and
 * `@SkipFeatureFlag()` exempts one. VWOService calls made by the handler without a context decide for the
 * same user.
 *
 * @example @FeatureFlag('new-checkout')
 * @example @FeatureFlag('new-checkout', { variable: 'layout', equals: 'v2', status: 403 })
 * With VWOFlagRegistry declared, the key, `variable` and `equals` are checked against it at compile time.
 * @publicApi
 */
export function FeatureFlag<K extends VWOFlagKey>(
  featureKey: K,
  options: FeatureFlagOptions & VWOFlagVariableCheck<K> = {},
): ClassDecorator & MethodDecorator {
  return featureFlag(featureKey, options);
}
