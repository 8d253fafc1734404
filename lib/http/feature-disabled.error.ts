import * as common from '@nestjs/common';
import { FEATURE_DISABLED_CODE } from './feature-disabled.payload';

/**
 * Nest 11's base of its own exceptions, which its exception handlers rethrow without logging them as
 * errors (a denial is routine: it is logged at debug level). Nest 10 has none and logs nothing.
 */
const IntrinsicBase: ErrorConstructor =
  (common as unknown as { IntrinsicException?: ErrorConstructor }).IntrinsicException ?? Error;

/**
 * The denial of `@FeatureFlag` on GraphQL. GraphQL wraps what a resolver throws into a GraphQLError that
 * keeps its message and `extensions`, so clients receive `extensions.code: 'FEATURE_DISABLED'` and the
 * feature key. It carries no stack frames: outside production Apollo sends the stack to clients.
 */
export class FeatureDisabledError extends IntrinsicBase {
  override readonly name = 'FeatureDisabledError';
  readonly extensions: { readonly code: typeof FEATURE_DISABLED_CODE; readonly featureKey: string };

  constructor(featureKey: string, message: string) {
    super(message);
    this.extensions = { code: FEATURE_DISABLED_CODE, featureKey };
    this.stack = `${this.name}: ${message}`;
  }
}
