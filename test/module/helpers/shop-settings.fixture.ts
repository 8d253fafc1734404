/** A settings document with one rolled-out feature ("new-checkout", variables headline/buttonText) and a metric. */
export interface ShopSettingsSpec {
  version?: number;
  headline?: string;
  pollInterval?: number;
  /** Traffic of the rollout, 0..100. */
  traffic?: number;
  /** Pre-segmentation of the rollout (segment DSL), e.g. `{ and: [{ country: 'IN' }] }`. */
  segments?: Record<string, unknown>;
}

export function shopSettings(spec: ShopSettingsSpec = {}): Record<string, unknown> {
  const settings: Record<string, unknown> = {
    version: spec.version ?? 1,
    accountId: 123456,
    sdkKey: 'test-sdk-key-0123456789abcdef',
    features: [
      {
        id: 1,
        key: 'new-checkout',
        name: 'New checkout',
        status: 'ON',
        type: 'FEATURE_FLAG',
        impactCampaign: {},
        metrics: [{ id: 1, identifier: 'purchase', type: 'REVENUE_TRACKING', mca: -1 }],
        rules: [{ ruleKey: 'rollout', type: 'FLAG_ROLLOUT', campaignId: 1, variationId: 1 }],
      },
    ],
    campaigns: [
      {
        id: 1,
        key: 'new-checkout_rollout',
        name: 'new-checkout_rollout',
        type: 'FLAG_ROLLOUT',
        status: 'RUNNING',
        percentTraffic: spec.traffic ?? 100,
        isForcedVariationEnabled: false,
        segments: spec.segments ?? {},
        variations: [
          {
            id: 1,
            name: 'Rollout',
            weight: 100,
            segments: spec.segments ?? {},
            variables: [{ id: 1, key: 'headline', type: 'string', value: spec.headline ?? 'One-click checkout' }],
          },
        ],
      },
    ],
  };
  if (spec.pollInterval !== undefined) settings.pollInterval = spec.pollInterval;
  return settings;
}
