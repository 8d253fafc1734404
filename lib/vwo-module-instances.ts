import type { DynamicModule } from '@nestjs/common';

/**
 * Every dynamic module VWOModule.forRoot / forRootAsync returned in this process. Nest matches
 * `overrideModule` by reference, and an app's AppModule keeps its own `forRootAsync(...)` object, so
 * VWOTestingModule.override replaces these. (Kept apart from vwo.module.ts: the testing entry must not
 * load what VWOModule imports.)
 */
const instances = new Set<DynamicModule>();

export function rememberVWOModule(module: DynamicModule): DynamicModule {
  instances.add(module);
  return module;
}

export function vwoModuleInstances(): DynamicModule[] {
  return [...instances];
}
