/** nestjs-vwo/openfeature: VWO as an OpenFeature provider (pinned by test/package/public-api.spec.ts). */
export { VWOOpenFeatureProvider } from './vwo-openfeature.provider';
export { VWOOpenFeatureModule } from './vwo-openfeature.module';
export type { VWOOpenFeatureModuleOptions, VWOOpenFeatureProviderOptions } from './vwo-openfeature.options';
