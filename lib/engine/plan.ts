/**
 * What one decision needs before it can run synchronously: the user's stored records to read, whether the gateway's
 * user details are needed, and the list memberships to ask about. The caller fetches these (in parallel), then calls
 * decide() once with the answers.
 */
import type { SettingsSnapshot } from './contract';
import { toSegmentTag } from './segmentation';
import type { VWOUserContext } from './types';

/** One `inlist` check to ask VWO's gateway: is this value (as segments compare it) in this list? */
export interface ListCheck {
  readonly listId: string;
  readonly attribute: string;
}

export interface DecisionPlan {
  /**
   * The storage keys the decision may read for the user: the feature, the `_vwo_meta_meg_<groupId>` records of
   * its groups, the other features of those groups, and features named by `featureId` segments.
   */
  readonly storageKeys: readonly string[];
  /** Some segment may need location or a parsed user agent, and the context carries none (`_vwo`). */
  readonly gateway: boolean;
  /** The `inlist` checks the decision may make with this user's values, each once; answer them in decide()'s `inList`. */
  readonly listChecks: readonly ListCheck[];
}

type InlistRefs = ReturnType<NonNullable<SettingsSnapshot['inlistRefs']>>;

/** A feature's plans that depend on the context only through `_vwo`: built once per snapshot and feature. */
interface FeaturePlans {
  readonly withGateway: DecisionPlan;
  readonly withoutGateway: DecisionPlan;
  readonly inlist: InlistRefs;
}

const NO_CHECKS: readonly ListCheck[] = Object.freeze([]);
const NO_REFS: InlistRefs = Object.freeze([]);
const hasOwn = Object.prototype.hasOwnProperty;

// Plans per snapshot (a snapshot is immutable, so are its plans); a replaced snapshot's plans go with it.
const plansBySnapshot = new WeakMap<SettingsSnapshot, Map<string, FeaturePlans>>();

/** What deciding `featureKey` for this user needs fetched first. Never throws for a string key. */
export function plan(snapshot: SettingsSnapshot, featureKey: string, context: VWOUserContext): DecisionPlan {
  const plans = featurePlans(snapshot, featureKey);
  const base = context._vwo || context._wingify ? plans.withoutGateway : plans.withGateway;
  if (plans.inlist.length === 0) return base;
  const listChecks = listChecksOf(plans.inlist, context.customVariables);
  return listChecks === NO_CHECKS ? base : { storageKeys: base.storageKeys, gateway: base.gateway, listChecks };
}

function featurePlans(snapshot: SettingsSnapshot, featureKey: string): FeaturePlans {
  let plans = plansBySnapshot.get(snapshot);
  if (!plans) plansBySnapshot.set(snapshot, (plans = new Map()));
  let found = plans.get(featureKey);
  if (!found) {
    const storageKeys = snapshot.storageKeys(featureKey);
    const gateway = snapshot.needsGateway(featureKey);
    const withGateway: DecisionPlan = Object.freeze({ storageKeys, gateway, listChecks: NO_CHECKS });
    found = {
      withGateway,
      withoutGateway: gateway ? Object.freeze({ storageKeys, gateway: false, listChecks: NO_CHECKS }) : withGateway,
      inlist: snapshot.inlistRefs?.(featureKey) ?? NO_REFS,
    };
    // Only features in the settings are kept: unknown keys come from callers and are unbounded.
    if (snapshot.hasFeature(featureKey)) plans.set(featureKey, found);
  }
  return found;
}

/** The distinct (list, value) pairs of this user's custom variables the feature's inlist segments may ask about. */
function listChecksOf(refs: InlistRefs, variables: Record<string, unknown> | undefined): readonly ListCheck[] {
  if (!variables) return NO_CHECKS;
  let checks: ListCheck[] | undefined;
  for (const { variable, listId } of refs) {
    if (!hasOwn.call(variables, variable)) continue;
    // The same string the evaluator will ask about; a null value is never looked up.
    const attribute = toSegmentTag(variables[variable]);
    if (attribute === null) continue;
    if (checks?.some((c) => c.listId === listId && c.attribute === attribute)) continue;
    (checks ??= []).push({ listId, attribute });
  }
  return checks ?? NO_CHECKS;
}
