import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { runInRequestState } from '../context/request-context';
import { requestOfContext } from './request-of-context';
import { VWORequestFlagsHost } from './vwo-request-flags-host';

/**
 * Makes the request's user the current VWO context for the whole handler, so `VWOService.getFlag(key)`
 * without a context works in routes that have no `@FeatureFlag`. The user is built lazily (only if a
 * flag is asked for) and shared with the guard and the param decorators. Register it globally
 * (APP_INTERCEPTOR) or with `@UseInterceptors`. Unlike the guard's `enterWith`, `run` scopes the state to
 * the handler exactly, whatever the transport (HTTP/2 streams, pipelining, GraphQL, RPC).
 * With the module option `propagateContext: false` it passes every call through untouched.
 * @publicApi
 */
@Injectable()
export class VWOContextInterceptor extends VWORequestFlagsHost implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.flags.propagateContext) return next.handle();
    const state = this.flags.lazyStateOf(ctx, requestOfContext(ctx));
    // Subscribing inside run() starts the handler there, so it and all it awaits see this state, and
    // nothing else does (no Nest-version-specific context binding relied upon).
    return new Observable((subscriber) => runInRequestState(state, () => next.handle().subscribe(subscriber)));
  }
}
