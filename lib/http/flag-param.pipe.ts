import { ArgumentMetadata, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import { requestOfContext } from './request-of-context';
import { VWORequestFlagsHost } from './vwo-request-flags-host';

/** What `@Flag` / `@FlagVariable` ask for. */
export interface FlagParamData {
  featureKey: string;
  /** Set for `@FlagVariable`: inject this variable's value instead of the flag. */
  variable?: string;
  defaultValue?: unknown;
  /** The named VWOModule that decides the flag; the default one when absent. */
  instance?: string;
}

/**
 * Turns the execution context handed over by `@Flag` / `@FlagVariable` into the flag or the variable.
 * A pipe (not the decorator factory) does it because pipes are built by Nest's injector, so it reaches
 * VWOService and the module options.
 */
@Injectable()
export class FlagParamPipe extends VWORequestFlagsHost implements PipeTransform<ExecutionContext, Promise<unknown>> {
  async transform(ctx: ExecutionContext, metadata: ArgumentMetadata): Promise<unknown> {
    const { featureKey, variable, defaultValue, instance } = metadata.data as unknown as FlagParamData;
    const flags = this.flagsFor(instance);
    const request = requestOfContext(ctx);
    const state = flags.stateOf(request);
    const user = await flags.userContext(state, ctx, request);
    if (!user) flags.noUser(featureKey);
    const flag = await flags.flag(state, featureKey, user);
    return variable === undefined ? flag : flag.getVariable(variable, defaultValue);
  }
}
