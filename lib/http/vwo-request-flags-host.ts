import { Inject, Optional } from '@nestjs/common';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { VWO_HTTP_CONFIG, VWO_LOGGER } from '../vwo.internal-constants';
import { VWOService } from '../vwo.service';
import { VWORequestFlags, type VWOHttpOptions } from './vwo-request-flags';

/**
 * The injection shared by the enhancers that read the request's flags (FlagParamPipe,
 * VWOContextInterceptor): Nest reads the constructor parameters of this base class for subclasses that
 * declare no constructor of their own.
 */
export abstract class VWORequestFlagsHost {
  protected readonly flags: VWORequestFlags;

  constructor(
    vwo: VWOService,
    @Inject(VWO_HTTP_CONFIG) options: VWOHttpOptions,
    @Optional() @Inject(VWO_LOGGER) logger?: VWOLogger,
  ) {
    this.flags = new VWORequestFlags(vwo, options, logger);
  }
}
