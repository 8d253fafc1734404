/** nestjs-vwo/testing: test doubles and settings builders (pinned by test/package/public-api.spec.ts). */
export { VWOTestingModule, type VWOModuleOverrider } from './vwo-testing.module';
export { VWOTestingService } from './vwo-testing.service';
export type {
  VWOTestingAliasCall,
  VWOTestingAttributeCall,
  VWOTestingEvaluation,
  VWOTestingFlag,
  VWOTestingFlagDefinition,
  VWOTestingModuleOptions,
  VWOTestingTrackedEvent,
} from './vwo-testing.types';
export { SettingsBuilder, type VWOBuiltSettings } from './settings-builder';
export { FeatureBuilder, type BuiltFeature } from './feature-builder';
export type {
  MetricSpec,
  RolloutRuleSpec,
  SettingsBuilderOptions,
  TestingRuleSpec,
  TestingVariationSpec,
  VWOSegments,
  VWOVariableValue,
  VWOVariableValues,
} from './settings-builder.types';
export { describeStorageContract, storedDecisionRecord } from './describe-storage-contract';
