/**
 * The pure decision engine: no Nest, no I/O, synchronous. Settings → snapshot (compileSettings);
 * snapshot + key + context → what to fetch first (plan); snapshot + context + fetched records → decision (decide);
 * decision → Flag.
 */
export * from './types';
export type { MetricInfo, SettingsSnapshot } from './contract';
export { compileSettings, compileSettingsSteps } from './settings/compile';
export type { CompileOptions } from './settings/compile';
export { validateSettings, normalizeSettings } from './settings/validate';
export { plan } from './plan';
export type { DecisionPlan, ListCheck } from './plan';
export { decide } from './decision/decide';
export type { DecideOptions } from './decision/decide';
export { Flag } from './flag';
export type { FlagVisitor } from './visitor';
export { SettingsValidationError } from './errors';
export { getUUID } from './uuid';
export { userIdProblem } from './user-id';
export { murmur3, bucketValue, bucketFromHash, rangeStep, HASH_SEED, TRAFFIC_SCALE, VARIATION_SCALE } from './bucketing';
export { MEG_META_KEY_PREFIX, USER_LIST_ID_KEY } from './constants';
