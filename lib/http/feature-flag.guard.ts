import { STATUS_CODES } from 'node:http';
import {
  CanActivate,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  NotFoundException,
  Optional,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { enterRequestState, type VWORequestState, type VWOResponseLike } from '../context/request-context';
import type { VWOUserContext } from '../engine/types';
import { VWOInstanceFlags } from './vwo-instance-flags';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { VWO_HTTP_CONFIG, VWO_LOGGER } from '../vwo.internal-constants';
import { VWOService } from '../vwo.service';
import type { FeatureFlagMetadata, FeatureFlagOptions } from './feature-flag-options.interface';
import { featureFlagOf } from './feature-flag-of';
import { requestOfContext } from './request-of-context';
import { answerWsAck, transportDenial } from './transport-denial';
import { VWORequestFlags, type VWOFlag, type VWOHttpOptions } from './vwo-request-flags';

/**
 * Serves a route, resolver, message handler or gateway message only when its `@FeatureFlag` is enabled
 * for the request's user. It builds the user context itself (guards run before interceptors) and shares
 * it, and the flag, with the param decorators and VWOService calls of the same request. Fails closed: no
 * user, no flag. Denies the way each transport does: a status on HTTP, a GraphQL error, an RpcException,
 * a WsException (answering the message's ack).
 *
 * Made to be extended (then apply it with `createFeatureFlagDecorator`): override `getRequest` for another
 * request object, `isAllowed` for other rules, `createDeniedException` for other answers, `enterContext`
 * for other context propagation.
 * Per request it costs well under 1 µs besides the flag's evaluation: the metadata is read once per
 * handler, the request's state rides on the request object, and nothing is listened to.
 * A flag of a named VWOModule (`@FeatureFlag(key, { instance: 'eu' })`) is decided by that instance, with
 * its options (user context, denial); the instance is found through ModuleRef on first use.
 * @publicApi
 */
@Injectable()
export class FeatureFlagGuard implements CanActivate {
  /** Every instance's request flags: the default one's from the injections below, named ones by ModuleRef. */
  private readonly instances: VWOInstanceFlags;
  /** getMetadata's answer by handler, then controller (a handler may be inherited by several). */
  private readonly metadataCache = new WeakMap<object, Map<object, FeatureFlagMetadata | null>>();

  /**
   * Every injection but the Reflector is optional: an app may have only named VWOModules (then there is no
   * VWOService nor VWO_OPTIONS token, and every flag names its instance).
   */
  constructor(
    protected readonly reflector: Reflector,
    @Optional() vwo?: VWOService,
    @Optional() @Inject(VWO_HTTP_CONFIG) protected readonly options: VWOHttpOptions = {},
    @Optional() @Inject(VWO_LOGGER) logger?: VWOLogger,
    @Optional() moduleRef?: ModuleRef,
  ) {
    this.instances = VWOInstanceFlags.forEnhancer(vwo, options, logger, moduleRef);
  }

  /** The default instance's request flags. */
  protected get flags(): VWORequestFlags {
    return this.instances.default;
  }

  /** The request flags of the instance a `@FeatureFlag` names (the default one without a name). */
  protected flagsFor(instance: string | undefined): VWORequestFlags {
    return this.instances.of(instance);
  }

  /** Synchronous for ungated routes (a global guard costs them nothing more). */
  canActivate(ctx: ExecutionContext): boolean | Promise<boolean> {
    const metadata = this.metadataOf(ctx);
    if (!metadata) return true;
    const flags = this.flagsFor(metadata.options.instance);
    const request = this.getRequest(ctx);
    const state = flags.stateOf(request);
    this.enterContext(ctx, state, flags);
    const user = flags.userContext(state, ctx, request);
    if (user instanceof Promise) return user.then((resolved) => this.decide(ctx, metadata, state, resolved, request, flags));
    return this.decide(ctx, metadata, state, user, request, flags);
  }

  /**
   * The object that stands for the request (see requestOfContext): the HTTP request, GraphQL's req, an
   * RPC message's context, a WebSocket message. Its state (user, flags) is shared by everything that
   * handles it. The default user context reads it on HTTP, GraphQL and other context types; on RPC and
   * WebSockets it reads the message and the connection instead (the `userContext` option takes over).
   */
  protected getRequest(ctx: ExecutionContext): object | undefined {
    return requestOfContext(ctx);
  }

  /**
   * Makes the request's state current for the handler, so its VWOService calls without a context use
   * this user. HTTP only: the state stops answering once the response has ended (see
   * enterRequestState). Resolvers, message handlers and gateway handlers gated by `@FeatureFlag` run
   * inside their state through the interceptor the module registers for them, which scopes it exactly.
   * Does nothing with the module option `propagateContext: false` (of the instance deciding the flag).
   */
  protected enterContext(ctx: ExecutionContext, state: VWORequestState, flags: VWORequestFlags = this.flags): void {
    if (!flags.propagateContext || ctx.getType() !== 'http') return;
    const response = rawResponse(ctx.getArgByIndex(1));
    if (response) enterRequestState(state, response);
  }

  /** The `@FeatureFlag` that gates this handler, if any (see featureFlagOf). Called once per handler and controller: the answer is cached. */
  protected getMetadata(ctx: ExecutionContext): FeatureFlagMetadata | undefined {
    return featureFlagOf(this.reflector, ctx.getHandler(), ctx.getClass());
  }

  /** Enabled, and when a variable is named, its value matches. */
  protected isAllowed(flag: VWOFlag, options: FeatureFlagOptions): boolean {
    if (!flag.isEnabled()) return false;
    if (options.variable === undefined) return true;
    const value: unknown = flag.getVariable(options.variable, undefined);
    if (options.matches) return options.matches(value);
    return 'equals' in options ? value === options.equals : !!value;
  }

  /**
   * The decorator's exception, else the module's (`flagDisabled`). Then on HTTP the status (decorator's,
   * module's, else a 404 like Nest's for unknown routes: a decorator's status wins over the module's
   * exception); on other transports their native denial (see transportDenial).
   */
  protected createDeniedException(metadata: FeatureFlagMetadata, request: object | undefined, ctx?: ExecutionContext): Error {
    const { featureKey, options } = metadata;
    const moduleWide = this.flagsFor(options.instance).options.flagDisabled;
    if (options.exception) return options.exception(featureKey);
    const type = ctx?.getType<string>() ?? 'http';
    if (type !== 'http') {
      const denial = moduleWide?.exception?.(featureKey) ?? transportDenial(type, featureKey);
      if (denial) return denial;
    }
    if (options.status === undefined && moduleWide?.exception) return moduleWide.exception(featureKey);
    const status = options.status ?? moduleWide?.status ?? 404;
    if (status === 404) return new NotFoundException(notFoundMessage(request));
    return new HttpException(STATUS_CODES[status] ?? 'Feature disabled', status);
  }

  private metadataOf(ctx: ExecutionContext): FeatureFlagMetadata | undefined {
    const handler = ctx.getHandler();
    const controller = ctx.getClass();
    let byController = this.metadataCache.get(handler);
    if (!byController) this.metadataCache.set(handler, (byController = new Map()));
    let metadata = byController.get(controller);
    if (metadata === undefined) byController.set(controller, (metadata = this.getMetadata(ctx) ?? null));
    return metadata ?? undefined;
  }

  private async decide(
    ctx: ExecutionContext,
    metadata: FeatureFlagMetadata,
    state: VWORequestState,
    user: VWOUserContext | undefined,
    request: object | undefined,
    flags: VWORequestFlags,
  ): Promise<boolean> {
    if (!user) {
      flags.noUser(metadata.featureKey);
      throw this.deny(ctx, metadata, request, 'the request has no user id', flags);
    }
    const flag = await flags.flag(state, metadata.featureKey, user);
    if (this.isAllowed(flag, metadata.options)) return true;
    throw this.deny(ctx, metadata, request, deniedBecause(flag, metadata.options), flags);
  }

  /** The denial, logged at debug level (a denial is routine), with a socket.io ack answered. */
  private deny(ctx: ExecutionContext, metadata: FeatureFlagMetadata, request: object | undefined, reason: string, flags: VWORequestFlags): Error {
    const error = this.createDeniedException(metadata, request, ctx);
    const type = ctx.getType<string>();
    flags.logger.debug(`@FeatureFlag("${metadata.featureKey}") denied ${type} ${ctx.getClass().name}.${ctx.getHandler().name}: ${reason}`);
    if (type === 'ws') answerWsAck(ctx, error);
    return error;
  }
}

function deniedBecause(flag: VWOFlag, options: FeatureFlagOptions): string {
  if (!flag.isEnabled()) {
    const reason = (flag as { reason?: string }).reason;
    return reason ? `the flag is disabled (${reason})` : 'the flag is disabled';
  }
  return `variable "${options.variable ?? ''}" does not match`;
}

/** Node's ServerResponse: Express's response itself, Fastify's reply.raw. */
function rawResponse(response: unknown): VWOResponseLike | undefined {
  const res = response as (VWOResponseLike & { raw?: VWOResponseLike }) | undefined;
  const raw: VWOResponseLike | undefined = res?.raw ?? res;
  return typeof raw?.writableEnded === 'boolean' ? raw : undefined;
}

/** The message of Nest's own 404, so a hidden route looks like a missing one. */
function notFoundMessage(request: object | undefined): string | undefined {
  const req = request as { method?: string; originalUrl?: string; url?: string } | undefined;
  if (!req?.method) return undefined;
  return `Cannot ${req.method} ${req.originalUrl ?? req.url ?? ''}`;
}
