export { VWOOpenFeatureProvider } from './vwo-openfeature.provider';
export { VWOOpenFeatureModule } from './vwo-openfeature.module';
export { VWO_OPENFEATURE_OPTIONS, type VWOOpenFeatureModuleOptions, type VWOOpenFeatureProviderOptions } from './vwo-openfeature.options';
export { toVWOUserContext } from './openfeature-context';
export { parseFlagKey, type VWOFlagTarget } from './openfeature-flag-key';
