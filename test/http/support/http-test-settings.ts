/** One 100% rollout rule whose pre-segmentation (a rollout variation's `segments`) decides who gets the feature. */
function rolloutFeature(id: number, key: string, segments: object, variables: Array<{ key: string; type: string; value: unknown }>) {
  return {
    feature: {
      id,
      key,
      name: key,
      status: 'ON',
      type: 'FEATURE_FLAG',
      impactCampaign: {},
      metrics: [{ id, identifier: `${key}_metric`, type: 'CUSTOM_GOAL', mca: -1 }],
      rules: [{ ruleKey: 'rollout', type: 'FLAG_ROLLOUT', campaignId: id, variationId: 1 }],
    },
    campaign: {
      id,
      key: `${key}_rollout`,
      name: `${key}_rollout`,
      status: 'RUNNING',
      type: 'FLAG_ROLLOUT',
      isForcedVariationEnabled: false,
      segments: {},
      variations: [
        { id: 1, name: 'Rollout', weight: 100, segments, variables: variables.map((v, i) => ({ id: i + 1, ...v })) },
      ],
    },
  };
}

const features = [
  // Enabled for alice and ann only (a `user` segment), with a layout variable.
  rolloutFeature(1, 'checkout', { or: [{ user: 'alice,ann' }] }, [
    { key: 'layout', type: 'string', value: 'v2' },
    { key: 'title', type: 'string', value: 'New checkout' },
  ]),
  rolloutFeature(2, 'beta', { or: [{ user: 'bob' }] }, []),
  // Enabled for users whose custom variable `plan` is "pro".
  rolloutFeature(3, 'pro', { or: [{ custom_variable: { plan: 'pro' } }] }, [{ key: 'quota', type: 'integer', value: 100 }]),
  // Enabled for everyone (the benchmark's flag).
  rolloutFeature(5, 'everyone', {}, [{ key: 'color', type: 'string', value: 'blue' }]),
];

/** The inline settings document of the HTTP e2e tests ("off" has no rules: disabled for everyone). */
export function httpTestSettings(): Record<string, unknown> {
  return {
    accountId: 123456,
    version: 1,
    sdkKey: 'http-e2e-sdk-key',
    features: [
      ...features.map((f) => f.feature),
      { id: 4, key: 'off', name: 'off', status: 'ON', type: 'FEATURE_FLAG', impactCampaign: {}, metrics: [], rules: [] },
    ],
    campaigns: features.map((f) => f.campaign),
    groups: {},
    campaignGroups: {},
  };
}
