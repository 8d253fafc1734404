import { Inject } from '@nestjs/common';
import { getVWOServiceToken } from './vwo-service-token';

/**
 * Injects the VWOService of a named VWOModule (`VWOModule.forRoot({ name })`); without a name, the
 * default instance's (the same as injecting `VWOService` by type).
 * @example constructor(@InjectVWO('eu') private readonly vwoEu: VWOService) {}
 * @publicApi
 */
export function InjectVWO(name?: string): PropertyDecorator & ParameterDecorator {
  return Inject(getVWOServiceToken(name));
}
