/**
 * The settings document the sample runs on when no VWO account is configured: the same shape VWO serves
 * from /server-side/v2-settings. Feature "new-checkout" is rolled out to 100% of users, with variables
 * for its copy; "purchase" is a metric, so trackEvent('purchase') is accepted. Feature "wishlist" is rolled
 * out to 50% of users (bucketed by user id exactly as VWO's SDKs do).
 */
export const SHOP_SETTINGS: Record<string, unknown> = {
  version: 1,
  accountId: 123456,
  pollInterval: 600000,
  features: [
    {
      id: 1,
      key: 'new-checkout',
      name: 'New checkout',
      status: 'ON',
      type: 'FEATURE_FLAG',
      impactCampaign: {},
      metrics: [{ id: 1, identifier: 'purchase', type: 'REVENUE_TRACKING', mca: -1, hasProps: true, revenueProp: 'amount' }],
      rules: [{ ruleKey: 'rollout', type: 'FLAG_ROLLOUT', campaignId: 1, variationId: 1 }],
    },
    {
      id: 2,
      key: 'wishlist',
      name: 'Wishlist',
      status: 'ON',
      type: 'FEATURE_FLAG',
      impactCampaign: {},
      metrics: [],
      rules: [{ ruleKey: 'beta', type: 'FLAG_ROLLOUT', campaignId: 2, variationId: 1 }],
    },
  ],
  campaigns: [
    {
      id: 1,
      key: 'new-checkout_rollout',
      name: 'new-checkout_rollout',
      type: 'FLAG_ROLLOUT',
      status: 'RUNNING',
      percentTraffic: 100,
      isForcedVariationEnabled: false,
      segments: {},
      variations: [
        {
          id: 1,
          name: 'Rollout',
          weight: 100,
          segments: {},
          variables: [
            { id: 1, key: 'headline', type: 'string', value: 'Check out in one click' },
            { id: 2, key: 'buttonText', type: 'string', value: 'Buy now' },
          ],
        },
      ],
    },
    {
      id: 2,
      key: 'wishlist_beta',
      name: 'wishlist_beta',
      type: 'FLAG_ROLLOUT',
      status: 'RUNNING',
      segments: {},
      variations: [
        {
          id: 1,
          name: 'Beta',
          weight: 50,
          segments: {},
          variables: [{ id: 1, key: 'maxItems', type: 'integer', value: 25 }],
        },
      ],
    },
  ],
};
