import type { CanActivate, ExecutionContext, Type } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';
import { ResolverExecutionContext } from './resolver-execution-context';
import { transportDenial } from './transport-denial';

/** What @nestjs/graphql hands a field middleware. */
interface FieldMiddlewareContext {
  source: unknown;
  args: unknown;
  context: unknown;
  info: unknown;
}

/** A @nestjs/graphql field middleware (its `FieldMiddleware` type, without importing the package). */
export type VWOFieldMiddleware = (ctx: FieldMiddlewareContext, next: () => unknown) => Promise<unknown>;

/** What a field gate needs from the module, resolved on its first call (instances exist by then). */
export interface VWOFieldGateHost {
  /** True when GraphQLModule runs guards on field resolvers itself (`fieldResolverEnhancers: ['guards']`). */
  guardsRunOnFields(): boolean;
  /** The FeatureFlagGuard (or subclass) that `@FeatureFlag` attached to this field resolver. */
  guardOf(handler: Function, resolverClass: Type<unknown>): CanActivate;
  /** Runs the field resolver inside the request's VWO context. */
  runInContext(ctx: ExecutionContext, next: () => unknown): unknown;
}

const FIELD_GATE = Symbol('nestjs-vwo:field-gate');

/** True for a middleware made by createFieldGate (so a field is never gated twice). */
export function isFieldGate(middleware: unknown): boolean {
  return typeof middleware === 'function' && FIELD_GATE in middleware;
}

/**
 * The field middleware that gates one `@ResolveField` carrying a `@FeatureFlag`. @nestjs/graphql runs no
 * guard on field resolvers unless the app sets `fieldResolverEnhancers: ['guards']`, but it always runs
 * their field middleware: this runs the same guard there, with the execution context Nest would give it.
 */
export function createFieldGate(host: VWOFieldGateHost, resolverClass: Type<unknown>, handler: Function, featureKey: string): VWOFieldMiddleware {
  let guard: CanActivate | undefined;
  const gate: VWOFieldMiddleware = async ({ source, args, context, info }, next) => {
    const ctx = new ResolverExecutionContext([source, args, context, info], resolverClass, handler);
    if (!host.guardsRunOnFields()) {
      guard ??= host.guardOf(handler, resolverClass);
      const result = guard.canActivate(ctx);
      const allowed = isObservable(result) ? await lastValueFrom(result) : await result;
      if (!allowed) throw transportDenial('graphql', featureKey);
    }
    return host.runInContext(ctx, next);
  };
  return Object.assign(gate, { [FIELD_GATE]: true });
}
