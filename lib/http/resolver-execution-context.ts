import type { ExecutionContext, Type } from '@nestjs/common';

type HttpArgumentsHost = ReturnType<ExecutionContext['switchToHttp']>;
type RpcArgumentsHost = ReturnType<ExecutionContext['switchToRpc']>;
type WsArgumentsHost = ReturnType<ExecutionContext['switchToWs']>;

/**
 * The execution context of one field resolution, as @nestjs/graphql builds it for a resolver: arguments
 * `(parent, args, context, info)`, type 'graphql' (so `GqlExecutionContext.create(ctx)` works on it). Ours
 * because Nest's ExecutionContextHost is not part of @nestjs/core's public entry point.
 */
export class ResolverExecutionContext implements ExecutionContext {
  constructor(
    private readonly args: unknown[],
    private readonly resolverClass: Type<unknown>,
    private readonly handler: Function,
  ) {}

  getClass<T = unknown>(): Type<T> {
    return this.resolverClass as Type<T>;
  }

  getHandler(): Function {
    return this.handler;
  }

  getArgs<T extends unknown[] = unknown[]>(): T {
    return this.args as T;
  }

  getArgByIndex<T = unknown>(index: number): T {
    return this.args[index] as T;
  }

  getType<T extends string = string>(): T {
    return 'graphql' as T;
  }

  switchToHttp(): HttpArgumentsHost {
    return { getRequest: () => this.args[0], getResponse: () => this.args[1], getNext: () => this.args[2] } as HttpArgumentsHost;
  }

  switchToRpc(): RpcArgumentsHost {
    return { getData: () => this.args[0], getContext: () => this.args[1] } as RpcArgumentsHost;
  }

  switchToWs(): WsArgumentsHost {
    return { getClient: () => this.args[0], getData: () => this.args[1], getPattern: () => '' } as WsArgumentsHost;
  }
}
