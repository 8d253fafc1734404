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

/** The hosts of the apps alive in this process, newest last. */
type HostStack = VWOFieldGateHost[];

/** A gate made by createFieldGate: a middleware plus the stack of hosts it answers to. */
type FieldGate = VWOFieldMiddleware & { [FIELD_GATE]: HostStack };

/** The gate already installed on a field (its middleware list), if any. */
export function fieldGateIn(middleware: readonly unknown[]): FieldGate | undefined {
  return middleware.find((m): m is FieldGate => typeof m === 'function' && FIELD_GATE in m);
}

/**
 * Field middleware lives on the resolver class's metadata, which every app built from that class in one process
 * shares (e2e suites build several). The gate therefore answers to the newest app still alive: each app's host
 * joins the stack when it scans and leaves it when it closes, so one app's `fieldResolverEnhancers` or guard
 * never decides for another.
 */
export function joinFieldGate(gate: FieldGate, host: VWOFieldGateHost): () => void {
  gate[FIELD_GATE].push(host);
  return () => {
    const hosts = gate[FIELD_GATE];
    const at = hosts.lastIndexOf(host);
    if (at !== -1) hosts.splice(at, 1);
  };
}

/**
 * The field middleware that gates one `@ResolveField` carrying a `@FeatureFlag`. @nestjs/graphql runs no
 * guard on field resolvers unless the app sets `fieldResolverEnhancers: ['guards']`, but it always runs
 * their field middleware: this runs the same guard there, with the execution context Nest would give it.
 * With no live app (none should call it then) it fails closed.
 */
export function createFieldGate(resolverClass: Type<unknown>, handler: Function, featureKey: string): FieldGate {
  const hosts: HostStack = [];
  const guards = new WeakMap<VWOFieldGateHost, CanActivate>();
  const gate: VWOFieldMiddleware = async ({ source, args, context, info }, next) => {
    const host = hosts[hosts.length - 1];
    if (!host) throw transportDenial('graphql', featureKey);
    const ctx = new ResolverExecutionContext([source, args, context, info], resolverClass, handler);
    if (!host.guardsRunOnFields()) {
      let guard = guards.get(host);
      if (!guard) guards.set(host, (guard = host.guardOf(handler, resolverClass)));
      const result = guard.canActivate(ctx);
      const allowed = isObservable(result) ? await lastValueFrom(result) : await result;
      if (!allowed) throw transportDenial('graphql', featureKey);
    }
    return host.runInContext(ctx, next);
  };
  return Object.assign(gate, { [FIELD_GATE]: hosts });
}
