import { SettingsBuilder, type VWOBuiltSettings } from '../../lib/testing/settings-builder';

export const SPLIT_FEATURE = 'checkout';
export const SPLIT_ACCOUNT_ID = 424242;

/**
 * Feature `checkout`: a 100% rollout, then an A/B test whose whole traffic goes to `blue` or to `red`.
 * Moving the split from one to the other changes every fresh decision, so a user who keeps their colour
 * afterwards can only have got it from storage.
 */
export function splitSettings(winner: 'blue' | 'red'): VWOBuiltSettings {
  return new SettingsBuilder({ accountId: SPLIT_ACCOUNT_ID })
    .feature(SPLIT_FEATURE, (feature) =>
      feature.rollout({ variables: { color: 'none' } }).testing({
        variations: [
          { name: 'blue', weight: winner === 'blue' ? 100 : 0, variables: { color: 'blue' } },
          { name: 'red', weight: winner === 'red' ? 100 : 0, variables: { color: 'red' } },
        ],
      }),
    )
    .build();
}
