import type { IntegrationPayload } from '../../engine/types';
import type { VWOIntegrationsOptions } from '../vwo-module-options.interface';
import { IsFunction } from './custom-validators';

export class IntegrationsOptionsSchema implements VWOIntegrationsOptions {
  @IsFunction('must be a function (properties) => void')
  callback!: (properties: IntegrationPayload) => void;
}
