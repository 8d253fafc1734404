/**
 * getFlag's decision (docs/decisions.md) as a pure synchronous function: settings snapshot, feature key, user
 * context and the user's prefetched storage records in; the decision, the storage writes, the impressions and the
 * integration payload out. No I/O; never throws (every exception VWO's SDK would throw becomes the error flag).
 */
import type { SettingsSnapshot } from '../contract';
import { CompiledSnapshot } from '../settings/compile';
import type { Decision, EngineLogger, StoredLookup, VWOUserContext } from '../types';
import { userIdProblem } from '../user-id';
import type { DecideOptions } from './decide-options';
import { DecisionState, NO_WRITES } from './decision-state';
import { disabledDecision } from './result';
import { runDecision } from './run-decision';

export type { DecideOptions } from './decide-options';

/**
 * Decides one flag for one user (docs/decisions.md). `stored` answers synchronously from records the caller
 * prefetched for `plan(snapshot, featureKey, context).storageKeys`. Never throws: invalid input and every exception
 * VWO's SDK would throw give a disabled decision (reason INVALID_*, FEATURE_NOT_FOUND or ERROR) with no variables.
 */
export function decide(
  snapshot: SettingsSnapshot,
  featureKey: string,
  context: VWOUserContext,
  stored: StoredLookup,
  logger?: EngineLogger,
  options?: DecideOptions,
): Decision {
  if (typeof featureKey !== 'string') {
    return disabledDecision(String(featureKey), 'INVALID_FEATURE_KEY', 'featureKey must be a string', undefined);
  }
  if (!(snapshot instanceof CompiledSnapshot)) {
    return disabledDecision(featureKey, 'SETTINGS_NOT_READY', 'no valid settings yet', undefined);
  }
  const idProblem = userIdProblem(context);
  if (idProblem) return disabledDecision(featureKey, 'INVALID_CONTEXT', idProblem, undefined);
  const userId = String(context.id);
  let state: DecisionState | undefined;
  try {
    const seed = bucketingSeedOf(context, logger);
    const bucketingId = seed ? String(seed) : userId;
    state = new DecisionState(snapshot, featureKey, context, userId, bucketingId, stored ?? noStorage, logger, options);
    return runDecision(state, options?.integrationPayload !== false);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logger?.warn(`VWO: getFlag("${featureKey}") failed, returning a disabled flag: ${message}`);
    // Writes already made stay made (VWO does not roll them back); impressions were still queued, so dropped.
    return disabledDecision(featureKey, 'ERROR', message, userId, state ? state.writes : NO_WRITES);
  }
}

const noStorage: StoredLookup = () => undefined;

/** docs/bucketing.md: the bucketing seed VWO keeps, or undefined (logged) for the values it drops. */
function bucketingSeedOf(context: VWOUserContext, logger: EngineLogger | undefined): unknown {
  if (!('bucketingSeed' in context)) return undefined;
  const seed: unknown = context.bucketingSeed;
  if (
    seed === undefined ||
    seed === null ||
    typeof seed === 'number' ||
    typeof seed === 'object' ||
    (typeof seed === 'string' && seed.trim() === '')
  ) {
    logger?.warn(`VWO: invalid bucketingSeed (${seed === null ? 'null' : typeof seed}); bucketing by user id`);
    return undefined;
  }
  return seed;
}
