import { IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';
import type { VWOWebhookOptions } from '../vwo-module-options.interface';

export class WebhookOptionsSchema implements VWOWebhookOptions {
  @IsOptional()
  @Matches(/^\/[^\s?#]*$/, { message: 'must be a path starting with "/", e.g. "/vwo/webhook"' })
  @IsString({ message: 'must be a path starting with "/", e.g. "/vwo/webhook"' })
  path?: string;

  @IsNotEmpty({ message: 'must not be empty: the secret you set for the webhook in VWO (sent in the x-vwo-auth header)' })
  @IsString({ message: 'is required: a string, the secret you set for the webhook in VWO (sent in the x-vwo-auth header)' })
  secret!: string;
}
