import { ArgumentMetadata, ExecutionContext, Inject, Injectable, Optional, PipeTransform } from '@nestjs/common';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { VWO_LOGGER, VWO_OPTIONS } from '../vwo.constants';
import { VWOService } from '../vwo.service';
import { requestOfContext } from './request-of-context';
import { VWORequestFlags, type VWOHttpOptions } from './vwo-request-flags';

/** What `@Flag` / `@FlagVariable` ask for. */
export interface FlagParamData {
  featureKey: string;
  /** Set for `@FlagVariable`: inject this variable's value instead of the flag. */
  variable?: string;
  defaultValue?: unknown;
}

/**
 * Turns the execution context handed over by `@Flag` / `@FlagVariable` into the flag or the variable.
 * A pipe (not the decorator factory) does it because pipes are built by Nest's injector, so it reaches
 * VWOService and the module options.
 */
@Injectable()
export class FlagParamPipe implements PipeTransform<ExecutionContext, Promise<unknown>> {
  private readonly flags: VWORequestFlags;

  constructor(
    vwo: VWOService,
    @Inject(VWO_OPTIONS) options: VWOHttpOptions,
    @Optional() @Inject(VWO_LOGGER) logger?: VWOLogger,
  ) {
    this.flags = new VWORequestFlags(vwo, options, logger);
  }

  async transform(ctx: ExecutionContext, metadata: ArgumentMetadata): Promise<unknown> {
    const { featureKey, variable, defaultValue } = metadata.data as unknown as FlagParamData;
    const state = this.flags.stateFor(ctx, requestOfContext(ctx));
    const user = await this.flags.userContext(state);
    if (!user) this.flags.noUser(featureKey);
    const flag = await this.flags.flag(state, featureKey, user);
    return variable === undefined ? flag : flag.getVariable(variable, defaultValue);
  }
}
