import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { FEATURE_FLAG_METADATA } from '../vwo.constants';
import type { FeatureFlagMetadata, FeatureFlagOptions } from './feature-flag-options.interface';
import { FeatureFlagGuard } from './feature-flag.guard';

/**
 * Serves the route(s) only to users for whom the flag is enabled; others get 404 (the route is hidden)
 * unless a status or exception is configured here or module-wide. On a controller it gates every
 * handler; a handler's own `@FeatureFlag` replaces the controller's, and `@SkipFeatureFlag()` exempts one.
 * VWOService calls made by the handler without a context decide for the same user.
 *
 * @example @FeatureFlag('new-checkout')
 * @example @FeatureFlag('new-checkout', { variable: 'layout', equals: 'v2', status: 403 })
 * @publicApi
 */
export function FeatureFlag(featureKey: string, options: FeatureFlagOptions = {}): ClassDecorator & MethodDecorator {
  const metadata: FeatureFlagMetadata = { featureKey, options };
  // No interceptor here: Nest's interceptor pipeline alone costs far more than the 5% budget of the
  // guard; the guard makes the user current itself (FeatureFlagGuard.enterContext).
  return applyDecorators(SetMetadata(FEATURE_FLAG_METADATA, metadata), UseGuards(FeatureFlagGuard));
}
