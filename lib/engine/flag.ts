/**
 * The flag a caller sees (spec/decision.md §5): VWO's Flag API plus the decision details.
 * Variables are exactly those of the served variation (experiment replaces rollout); a disabled flag has none,
 * so getVariable returns the default.
 */
import type { Decision, DecisionReason, Id, Variable } from './types';

const NO_VARIABLES: readonly Variable[] = Object.freeze([]);

export class Flag {
  /** The decision this flag was built from (writes, impressions, integration payload, …). */
  readonly decision: Decision;

  constructor(decision: Decision) {
    this.decision = decision;
  }

  /** A disabled flag with no variables, for callers that have no decision (e.g. settings not loaded yet). */
  static disabled(featureKey: string, reason: DecisionReason, message?: string): Flag {
    return new Flag({ featureKey, enabled: false, variables: NO_VARIABLES, reason, message, writes: [], impressions: [] });
  }

  isEnabled(): boolean {
    return this.decision.enabled;
  }

  /** The served variation's variables as `{value, type, key, id}` objects (frozen); `[]` when disabled. */
  getVariables(): Variable[] {
    return this.decision.variables as Variable[];
  }

  /** The value of the first variable named `key`, or `defaultValue` when there is none or its value is undefined. */
  getVariable<T = unknown>(key: string): T | undefined;
  getVariable<T = unknown>(key: string, defaultValue: T): T;
  getVariable<T = unknown>(key: string, defaultValue?: T): T | undefined {
    const index = this.decision.variableIndex;
    if (index !== undefined) {
      const value = index.get(key);
      if (value !== undefined) return value as T;
    } else if (this.decision.variables.length > 0) {
      // A decision built by hand (tests, stubs) without an index.
      const v = this.decision.variables.find((x) => x.key === key);
      if (v && v.value !== undefined) return v.value as T;
    }
    return defaultValue;
  }

  get featureKey(): string {
    return this.decision.featureKey;
  }

  get reason(): DecisionReason {
    return this.decision.reason;
  }

  /** Why a flag is disabled for a non-ordinary reason (invalid input, unknown feature, error). */
  get message(): string | undefined {
    return this.decision.message;
  }

  get userId(): string | undefined {
    return this.decision.userId;
  }

  get rollout(): Decision['rollout'] {
    return this.decision.rollout;
  }

  get experiment(): Decision['experiment'] {
    return this.decision.experiment;
  }

  /** Id of the served variation (experiment variation if any, else rollout variation). */
  get variationId(): Id | undefined {
    return this.decision.variationId;
  }

  /** Name of the served variation. */
  get variationName(): string | undefined {
    return this.decision.variationName;
  }

  toJSON(): Record<string, unknown> {
    return {
      featureKey: this.featureKey,
      enabled: this.isEnabled(),
      reason: this.reason,
      variationName: this.variationName,
      variables: this.getVariables(),
    };
  }
}
