import type { Type } from '@nestjs/common';
import { VWOService } from '../vwo.service';
import { DEFAULT_VWO_INSTANCE, vwoInstanceName } from './vwo-instance.tokens';

/**
 * The injection token of an instance's VWOService: the VWOService class for the default instance, a string
 * made from the name for a named one (as `getConnectionToken(name)` in @nestjs/mongoose).
 * @example constructor(@Inject(getVWOServiceToken('eu')) private readonly vwoEu: VWOService) {}
 * @publicApi
 */
export function getVWOServiceToken(name?: string): string | Type<VWOService> {
  const instance = vwoInstanceName(name);
  return instance === DEFAULT_VWO_INSTANCE ? VWOService : `nestjs-vwo:${instance}:VWOService`;
}
