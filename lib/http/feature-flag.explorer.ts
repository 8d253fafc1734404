import { CanActivate, ExecutionContext, Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, Optional, Type } from '@nestjs/common';
import { MetadataScanner, ModuleRef, ModulesContainer, Reflector } from '@nestjs/core';
import { runInRequestState } from '../context/request-context';
import { isDefaultVWOInstance, VWO_INSTANCE_NAME, VWO_OWN_SERVICE } from '../instances/vwo-instance.tokens';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { VWO_HTTP_CONFIG, VWO_LOGGER } from '../vwo.internal-constants';
import { VWOService } from '../vwo.service';
import type { FeatureFlagMetadata } from './feature-flag-options.interface';
import { featureFlagOf } from './feature-flag-of';
import { FeatureFlagGuard } from './feature-flag.guard';
import { createFieldGate, fieldGateIn, joinFieldGate, type VWOFieldGateHost } from './graphql-field-gate';
import {
  GRAPHQL_FIELD_MIDDLEWARE_METADATA,
  GRAPHQL_FIELD_RESOLVER_METADATA,
  GRAPHQL_MODULE_OPTIONS,
  GRAPHQL_RESOLVER_TYPE_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  RPC_PATTERN_METADATA,
  WS_MESSAGE_MAPPING_METADATA,
} from './nest-metadata.constants';
import { requestOfContext } from './request-of-context';
import { VWOContextInterceptor } from './vwo-context.interceptor';
import { VWORequestFlags, type VWOHttpOptions } from './vwo-request-flags';

type NestModule = ModulesContainer extends Map<string, infer M> ? M : never;
type InstanceWrapper = NestModule['providers'] extends Map<unknown, infer W> ? W : never;

/** Which non-HTTP handler a method is, by the decorators of Nest's packages on it. */
function handlerKind(handler: Function): 'field' | 'handler' | undefined {
  if (Reflect.getMetadata(GRAPHQL_FIELD_RESOLVER_METADATA, handler)) return 'field';
  if (
    Reflect.getMetadata(GRAPHQL_RESOLVER_TYPE_METADATA, handler) !== undefined ||
    Reflect.getMetadata(RPC_PATTERN_METADATA, handler) !== undefined ||
    Reflect.getMetadata(WS_MESSAGE_MAPPING_METADATA, handler) !== undefined
  ) {
    return 'handler';
  }
  return undefined;
}

function metadataList(key: string, target: object): unknown[] {
  return (Reflect.getMetadata(key, target) as unknown[] | undefined) ?? [];
}

/**
 * Makes `@FeatureFlag` whole beyond HTTP, for the resolvers, message handlers and gateways it gates:
 * - GraphQL field resolvers get a field middleware that runs the guard (Nest skips guards on fields
 *   unless `fieldResolverEnhancers: ['guards']`, which would leave them open: never silently);
 * - resolvers, message handlers and gateway handlers get the context interceptor, so VWOService calls
 *   without a context decide for the request's user, scoped to the handler exactly.
 * It registers them as metadata on the handlers while providers are being constructed: GraphQLModule
 * reads field middleware, and the microservice and WebSocket layers read interceptors, during app
 * initialization, which may run before this module's own onModuleInit.
 */
@Injectable()
export class FeatureFlagExplorer implements VWOFieldGateHost, OnApplicationBootstrap, OnModuleDestroy {
  private readonly flags: VWORequestFlags;
  private readonly contextInterceptor: VWOContextInterceptor;
  private readonly defaultGuard: FeatureFlagGuard;
  private readonly modulesOfClasses = new Map<Function, NestModule>();
  private graphqlOptions?: InstanceWrapper;
  private fieldGuardsByNest?: boolean;
  /** Leaves the field gates this app joined (see joinFieldGate). */
  private readonly leaveGates: Array<() => void> = [];

  /**
   * Every VWOModule instance has one. Inside a named instance `vwo` is that instance's service: it builds
   * the request's user (with that instance's options) but never decides a default-instance flag, which
   * the guard then finds through ModuleRef.
   */
  constructor(
    private readonly modules: ModulesContainer,
    private readonly reflector: Reflector,
    @Inject(VWO_OWN_SERVICE) vwo: VWOService,
    @Inject(VWO_HTTP_CONFIG) options: VWOHttpOptions,
    @Optional() @Inject(VWO_LOGGER) logger?: VWOLogger,
    @Optional() @Inject(VWO_INSTANCE_NAME) instance?: string,
    @Optional() moduleRef?: ModuleRef,
  ) {
    this.flags = new VWORequestFlags(vwo, options, logger);
    this.contextInterceptor = new VWOContextInterceptor(vwo, options, logger, moduleRef);
    this.defaultGuard = new FeatureFlagGuard(reflector, isDefaultVWOInstance(instance) ? vwo : undefined, options, logger, moduleRef);
    this.register(modules, new MetadataScanner());
  }

  guardsRunOnFields(): boolean {
    if (this.fieldGuardsByNest === undefined) {
      const options = this.graphqlOptions?.instance as { fieldResolverEnhancers?: string[] } | undefined;
      this.fieldGuardsByNest = options?.fieldResolverEnhancers?.includes('guards') ?? false;
    }
    return this.fieldGuardsByNest;
  }

  /** The guard instance Nest made for the resolver's module (a FeatureFlagGuard or subclass), else ours. */
  guardOf(handler: Function, resolverClass: Type<unknown>): CanActivate {
    const module = this.modulesOfClasses.get(resolverClass);
    for (const guard of [...metadataList(GUARDS_METADATA, handler), ...metadataList(GUARDS_METADATA, resolverClass)]) {
      if (guard instanceof FeatureFlagGuard) return guard;
      if (guard === FeatureFlagGuard || (typeof guard === 'function' && guard.prototype instanceof FeatureFlagGuard)) {
        const instance = module?.injectables.get(guard as Type<unknown>)?.instance;
        if (instance instanceof FeatureFlagGuard) return instance;
      }
    }
    return this.defaultGuard;
  }

  runInContext(ctx: ExecutionContext, next: () => unknown): unknown {
    if (!this.flags.propagateContext) return next();
    return runInRequestState(this.flags.lazyStateOf(ctx, requestOfContext(ctx)), next);
  }

  /**
   * Fails boot when a gated handler belongs to a class made by a factory provider: Nest applies no class
   * guard to those (it registers guards from class providers only) and its class was unknown while
   * providers were constructed, so it would be served to everyone.
   */
  onApplicationBootstrap(): void {
    const scanner = new MetadataScanner();
    const open: string[] = [];
    for (const module of this.modules.values()) {
      for (const wrapper of module.providers.values()) {
        const instance: unknown = wrapper.instance;
        const made = instance !== null && typeof instance === 'object' ? (instance.constructor as Type<unknown>) : undefined;
        if (!made || this.modulesOfClasses.has(made)) continue;
        for (const [name] of this.gatedHandlers(made, scanner)) open.push(`${made.name}.${name}`);
      }
    }
    if (open.length > 0) {
      throw new Error(
        `@FeatureFlag cannot guard ${open.join(', ')}: made by a factory provider, to which Nest applies no class guard. ` +
          'Provide the class itself (providers: [MyResolver]).',
      );
    }
  }

  private register(modules: ModulesContainer, scanner: MetadataScanner): void {
    for (const module of modules.values()) {
      this.graphqlOptions ??= module.providers.get(GRAPHQL_MODULE_OPTIONS);
      for (const wrapper of [...module.providers.values(), ...module.controllers.values()]) {
        const metatype = wrapper.metatype;
        if (typeof metatype !== 'function' || wrapper.isFactory || this.modulesOfClasses.has(metatype)) continue;
        this.modulesOfClasses.set(metatype, module);
        this.registerClass(metatype as Type<unknown>, scanner);
      }
    }
  }

  private registerClass(metatype: Type<unknown>, scanner: MetadataScanner): void {
    for (const [, handler, metadata] of this.gatedHandlers(metatype, scanner)) {
      if (handlerKind(handler) === 'field') this.gateField(metatype, handler, metadata.featureKey);
      else this.propagateContext(handler);
    }
  }

  /** The resolver, message and gateway handlers of a class that a `@FeatureFlag` gates. */
  private *gatedHandlers(metatype: Type<unknown>, scanner: MetadataScanner): Generator<[string, Function, FeatureFlagMetadata]> {
    const prototype = metatype.prototype as Record<string, unknown> | undefined;
    if (!prototype) return;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function' || !handlerKind(handler)) continue;
      const metadata = featureFlagOf(this.reflector, handler, metatype);
      if (metadata) yield [name, handler, metadata];
    }
  }

  onModuleDestroy(): void {
    for (const leave of this.leaveGates.splice(0)) leave();
  }

  private gateField(resolverClass: Type<unknown>, handler: Function, featureKey: string): void {
    const middleware = metadataList(GRAPHQL_FIELD_MIDDLEWARE_METADATA, handler);
    let gate = fieldGateIn(middleware);
    if (!gate) {
      gate = createFieldGate(resolverClass, handler, featureKey);
      Reflect.defineMetadata(GRAPHQL_FIELD_MIDDLEWARE_METADATA, [gate, ...middleware], handler);
    }
    this.leaveGates.push(joinFieldGate(gate, this));
  }

  private propagateContext(handler: Function): void {
    if (!this.flags.propagateContext) return;
    const interceptors = metadataList(INTERCEPTORS_METADATA, handler);
    const present = interceptors.some((i) => i === VWOContextInterceptor || i instanceof VWOContextInterceptor);
    if (!present) Reflect.defineMetadata(INTERCEPTORS_METADATA, [this.contextInterceptor, ...interceptors], handler);
  }
}
