/** Constants of the decision engine (docs/decisions.md). */

export const CAMPAIGN_ROLLOUT = 'FLAG_ROLLOUT';
export const CAMPAIGN_AB = 'FLAG_TESTING';
export const CAMPAIGN_PERSONALIZE = 'FLAG_PERSONALIZE';

/** Storage key prefix of MEG winner records: `_vwo_meta_meg_<groupId>` (docs/decisions.md). */
export const MEG_META_KEY_PREFIX = '_vwo_meta_meg_';

/**
 * Key under which the engine puts the user id (or its UUID when `isUserListEnabled`) into customVariables /
 * variationTargetingVariables before pre-segmentation and whitelisting, so `user` list DSL nodes work (docs/decisions.md,
 * docs/segmentation.md). VWO's Node SDK HEAD uses `_wingifyUserId` (segments read `_vwoUserId` as a fallback); it shows up in the
 * integration payload.
 */
export const USER_LIST_ID_KEY = '_wingifyUserId';

/** MEG random algorithm id (`groups[g].et`); any other defined value is the advanced algorithm. */
export const MEG_RANDOM_ALGO = 1;

/** Holdout impression variations (docs/decisions.md). */
export const HOLDOUT_VARIATION_IN = 1;
export const HOLDOUT_VARIATION_NOT_IN = 2;

/** Impact campaign impression variations (docs/decisions.md). */
export const IMPACT_VARIATION_ENABLED = 2;
export const IMPACT_VARIATION_DISABLED = 1;
