import type { Reflector } from '@nestjs/core';
import { FEATURE_FLAG_METADATA, SKIP_FEATURE_FLAG_METADATA } from '../vwo.internal-constants';
import type { FeatureFlagMetadata } from './feature-flag-options.interface';

/**
 * The `@FeatureFlag` that gates `handler` of `controller` (a controller, resolver, gateway or message
 * handler class): the handler's own, else the class's (getAllAndOverride); undefined = not gated.
 * `@SkipFeatureFlag` wins over the flag beside it or above it, not over a handler's own flag.
 */
export function featureFlagOf(reflector: Reflector, handler: Function, controller: Function): FeatureFlagMetadata | undefined {
  const targets = [handler, controller];
  const metadata = reflector.getAllAndOverride<FeatureFlagMetadata | undefined>(FEATURE_FLAG_METADATA, targets);
  if (!metadata || !reflector.getAllAndOverride<boolean>(SKIP_FEATURE_FLAG_METADATA, targets)) return metadata;
  const ownFlag = reflector.get<FeatureFlagMetadata | undefined>(FEATURE_FLAG_METADATA, handler);
  return ownFlag && !reflector.get<boolean>(SKIP_FEATURE_FLAG_METADATA, handler) ? ownFlag : undefined;
}
