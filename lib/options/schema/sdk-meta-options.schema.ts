import { IsNotEmpty, IsOptional, IsString } from 'class-validator';
import type { VWOSdkMetaOptions } from '../vwo-module-options.interface';

const NAME = 'must be a non-empty string, the SDK name VWO sees, e.g. "my-wrapper-sdk"';
const VERSION = 'must be a non-empty string, the SDK version VWO sees, e.g. "1.2.3"';

export class SdkMetaOptionsSchema implements VWOSdkMetaOptions {
  @IsOptional()
  @IsNotEmpty({ message: NAME })
  @IsString({ message: NAME })
  _vwo_sdkName?: string;

  @IsOptional()
  @IsNotEmpty({ message: VERSION })
  @IsString({ message: VERSION })
  _vwo_sdkVersion?: string;

  @IsOptional()
  @IsNotEmpty({ message: NAME })
  @IsString({ message: NAME })
  _wingify_sdkName?: string;

  @IsOptional()
  @IsNotEmpty({ message: VERSION })
  @IsString({ message: VERSION })
  _wingify_sdkVersion?: string;
}
