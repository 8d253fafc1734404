import { SettingsBuilder, type VWOBuiltSettings } from '../../../lib/testing/settings-builder';

export const FLEET_FEATURE = 'checkout';
export const FLEET_ACCOUNT_ID = 515151;
export const FLEET_SDK_KEY = 'fleet-sdk-key-0123456789abcdef';

/**
 * Feature `checkout`: a 100% rollout, then an A/B test splitting users between `blue` (weight `blue`%) and
 * `red`. Moving the split moves some users (not all): a replica that disagrees with another shows up.
 */
export function fleetSettings(blue: number, version = blue): VWOBuiltSettings {
  const settings = new SettingsBuilder({ accountId: FLEET_ACCOUNT_ID, sdkKey: FLEET_SDK_KEY })
    .feature(FLEET_FEATURE, (feature) =>
      feature.rollout({ variables: { color: 'none' } }).testing({
        variations: [
          { name: 'blue', weight: blue, variables: { color: 'blue' } },
          { name: 'red', weight: 100 - blue, variables: { color: 'red' } },
        ],
      }),
    )
    .build();
  return { ...settings, version };
}
