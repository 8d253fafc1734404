import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, Optional } from '@nestjs/common';
import { Observable } from 'rxjs';
import { runInRequestState } from '../context/request-context';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { VWO_LOGGER, VWO_OPTIONS } from '../vwo.constants';
import { VWOService } from '../vwo.service';
import { requestOfContext } from './request-of-context';
import { VWORequestFlags, type VWOHttpOptions } from './vwo-request-flags';

/**
 * Makes the request's user the current VWO context for the whole handler, so `VWOService.getFlag(key)`
 * without a context works in routes that have no `@FeatureFlag`. The user is built lazily (only if a
 * flag is asked for) and shared with the guard and the param decorators. Register it globally
 * (APP_INTERCEPTOR) or with `@UseInterceptors`. Unlike the guard's `enterWith`, `run` scopes the state to
 * the handler exactly, whatever the transport (HTTP/2 streams, pipelining, GraphQL, RPC).
 * @publicApi
 */
@Injectable()
export class VWOContextInterceptor implements NestInterceptor {
  private readonly flags: VWORequestFlags;

  constructor(
    vwo: VWOService,
    @Inject(VWO_OPTIONS) options: VWOHttpOptions,
    @Optional() @Inject(VWO_LOGGER) logger?: VWOLogger,
  ) {
    this.flags = new VWORequestFlags(vwo, options, logger);
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const state = this.flags.stateFor(ctx, requestOfContext(ctx));
    // Subscribing inside run() starts the handler there, so it and all it awaits see this state, and
    // nothing else does (no Nest-version-specific context binding relied upon).
    return new Observable((subscriber) => runInRequestState(state, () => next.handle().subscribe(subscriber)));
  }
}
