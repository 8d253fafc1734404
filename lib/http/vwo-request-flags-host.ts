import { Inject, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { VWOInstanceFlags } from './vwo-instance-flags';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { VWO_HTTP_CONFIG, VWO_LOGGER } from '../vwo.internal-constants';
import { VWOService } from '../vwo.service';
import type { VWORequestFlags, VWOHttpOptions } from './vwo-request-flags';

/**
 * The injection shared by the enhancers that read the request's flags (FlagParamPipe,
 * VWOContextInterceptor): Nest reads the constructor parameters of this base class for subclasses that
 * declare no constructor of their own. Without a default VWOModule (an app of named ones only) the
 * default-instance tokens are absent, hence optional; named instances are found through ModuleRef.
 */
export abstract class VWORequestFlagsHost {
  protected readonly instances: VWOInstanceFlags;

  constructor(
    @Optional() vwo?: VWOService,
    @Optional() @Inject(VWO_HTTP_CONFIG) options?: VWOHttpOptions,
    @Optional() @Inject(VWO_LOGGER) logger?: VWOLogger,
    @Optional() moduleRef?: ModuleRef,
  ) {
    this.instances = VWOInstanceFlags.forEnhancer(vwo, options, logger, moduleRef);
  }

  /** The default instance's request flags. */
  protected get flags(): VWORequestFlags {
    return this.instances.default;
  }

  /** The request flags of the named instance (the default one without a name). */
  protected flagsFor(instance: string | undefined): VWORequestFlags {
    return this.instances.of(instance);
  }
}
