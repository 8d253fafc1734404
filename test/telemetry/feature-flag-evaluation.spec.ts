import type { DecisionReason } from '../../lib/engine/types';
import { Flag } from '../../lib/engine';
import { errorTypeOf, evaluationAttributes, resultReasonOf } from '../../lib/telemetry/feature-flag-evaluation';

describe('the feature-flag semantic convention for our decisions', () => {
  it.each<[DecisionReason, string, string | undefined]>([
    ['ROLLOUT', 'targeting_match', undefined],
    ['WHITELISTED', 'targeting_match', undefined],
    ['EXPERIMENT', 'split', undefined],
    ['HOLDOUT', 'split', undefined],
    ['STORED_EXPERIMENT', 'cached', undefined],
    ['STORED_ROLLOUT', 'cached', undefined],
    ['STORED_HOLDOUT', 'cached', undefined],
    ['NOT_IN_ROLLOUT', 'default', undefined],
    ['NO_RULE_MATCHED', 'default', undefined],
    ['FEATURE_NOT_FOUND', 'error', 'flag_not_found'],
    ['INVALID_FEATURE_KEY', 'error', 'flag_not_found'],
    ['INVALID_CONTEXT', 'error', 'targeting_key_missing'],
    ['SETTINGS_NOT_READY', 'error', 'provider_not_ready'],
    ['ERROR', 'error', 'general'],
  ])('%s is %s (error.type %s)', (reason, resultReason, errorType) => {
    expect(resultReasonOf(reason)).toBe(resultReason);
    expect(errorTypeOf(reason)).toBe(errorType);
  });

  it('names the variation by id when it has no name, and adds the user id only when asked', () => {
    const decision = { ...Flag.disabled('f', 'ROLLOUT').decision, enabled: true, variationId: 7, userId: 'u-1' };
    expect(evaluationAttributes(decision, false)).toEqual({
      'feature_flag.key': 'f',
      'feature_flag.provider.name': 'VWO',
      'feature_flag.result.reason': 'targeting_match',
      'feature_flag.result.value': true,
      'feature_flag.result.variant': '7',
      'vwo.reason': 'ROLLOUT',
    });
    expect(evaluationAttributes(decision, true)).toMatchObject({ 'feature_flag.context.id': 'u-1' });
  });
});
