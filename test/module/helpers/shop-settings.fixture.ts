import { SHOP_SETTINGS } from '../../../sample/src/shop/shop-settings';

/** Variations of the sample's settings document (feature "new-checkout", variables headline/buttonText, metric "purchase"). */
export interface ShopSettingsSpec {
  version?: number;
  headline?: string;
  pollInterval?: number;
  /** Traffic of the rollout, 0..100. */
  traffic?: number;
  /** Pre-segmentation of the rollout (segment DSL), e.g. `{ and: [{ country: 'IN' }] }`. */
  segments?: Record<string, unknown>;
}

type Doc = Record<string, any>;

/**
 * The sample's document as VWO would serve it for the tests' SDK key, changed as `spec` says. Without a
 * `pollInterval` in the spec the document has none (so the module's own default applies).
 */
export function shopSettings(spec: ShopSettingsSpec = {}): Record<string, unknown> {
  const { pollInterval: _samplePoll, ...sample } = structuredClone(SHOP_SETTINGS) as Doc;
  const settings: Doc = { ...sample, version: spec.version ?? 1, sdkKey: 'test-sdk-key-0123456789abcdef' };
  const rollout = settings.campaigns[0];
  const variation = rollout.variations[0];
  rollout.percentTraffic = spec.traffic ?? 100;
  rollout.segments = variation.segments = spec.segments ?? {};
  if (spec.headline !== undefined) variation.variables.find((v: Doc) => v.key === 'headline').value = spec.headline;
  if (spec.pollInterval !== undefined) settings.pollInterval = spec.pollInterval;
  return settings;
}
