import { ConfigurableModuleBuilder } from '@nestjs/common';
import { withVWOInstance } from './vwo-instance.providers';
import type { VWOModuleOptions } from './options/vwo-module-options.interface';

/** The `isGlobal` and `name` extras of forRoot / forRootAsync. */
export interface VWOModuleExtras {
  /** Registers the module globally, so VWOService is injectable everywhere. @default true */
  isGlobal?: boolean;
  /**
   * Names this instance, so several run side by side (two VWO projects, environments or regions), each
   * with its own settings, polling, events, storage and logger. Inject it with `@InjectVWO(name)`; gate
   * with `@FeatureFlag(key, { instance: name })`. @default the default instance (`VWOService`)
   */
  name?: string;
}

/**
 * forRoot / forRootAsync (useFactory, useClass, useExisting, inject, imports, extraProviders). The raw
 * options land under VWO_MODULE_RAW_OPTIONS; VWOModule validates them into VWO_OPTIONS.
 */
export const {
  ConfigurableModuleClass: VWOConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: VWO_MODULE_RAW_OPTIONS,
  OPTIONS_TYPE: VWO_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: VWO_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<VWOModuleOptions>({ moduleName: 'VWO' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createVWOOptions')
  .setExtras<VWOModuleExtras>({ isGlobal: true, name: undefined }, (definition, extras) => withVWOInstance({ ...definition, global: extras.isGlobal }, extras.name))
  .build();

/** What `forRoot` accepts. */
export type VWOModuleForRootOptions = typeof VWO_OPTIONS_TYPE;
/** What `forRootAsync` accepts. */
export type VWOModuleAsyncOptions = typeof VWO_ASYNC_OPTIONS_TYPE;
