import { SetMetadata } from '@nestjs/common';
import { SKIP_FEATURE_FLAG_METADATA } from '../vwo.internal-constants';

/**
 * Exempts a handler from its controller's `@FeatureFlag` (or, on a controller, every handler that has
 * no `@FeatureFlag` of its own).
 * @publicApi
 */
export function SkipFeatureFlag(): ClassDecorator & MethodDecorator {
  return SetMetadata(SKIP_FEATURE_FLAG_METADATA, true);
}
