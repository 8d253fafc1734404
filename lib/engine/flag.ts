/**
 * The flag a caller sees (docs/decisions.md): VWO's Flag API plus the decision details.
 * Variables are exactly those of the served variation (experiment replaces rollout); a disabled flag has none,
 * so getVariable returns the default.
 */
import type { Decision, DecisionReason, Id, Variable } from './types';
import { FlagVisitor, sessionIdOf, visitorId } from './visitor';

const NO_VARIABLES: readonly Variable[] = Object.freeze([]);

export class Flag {
  /**
   * The decision this flag was built from (writes, impressions, integration payload, …): the service's and the
   * tests' view, left out of the published types (stripInternal) so users read a flag through its getters.
   * @internal
   */
  readonly decision: Decision;
  private readonly visitor?: FlagVisitor;
  /** The visitor id, computed on the first getUUID() (a SHA-1 chain most callers never need). */
  private uuid?: string | null;
  private sessionId?: number;

  constructor(decision: Decision, visitor?: FlagVisitor) {
    this.decision = decision;
    this.visitor = visitor;
  }

  /** A disabled flag with no variables, for callers that have no decision (e.g. settings not loaded yet). */
  static disabled(featureKey: string, reason: DecisionReason, message?: string, visitor?: FlagVisitor): Flag {
    return new Flag({ featureKey, enabled: false, variables: NO_VARIABLES, reason, message, writes: [], impressions: [] }, visitor);
  }

  /**
   * The visitor UUID this decision was made for, to hand to VWO's web client: `context.uuid` when given, a
   * web-testing id (`D`/`J` + 32 hex digits) as is, else VWO's UUIDv5 of the user id in the account.
   * Null when there was no usable user (invalid context).
   */
  getUUID(): string | null {
    if (this.uuid === undefined) {
      const visitor = this.visitor;
      const id = visitor?.context?.id;
      this.uuid = visitor && (id || id === 0) && visitor.accountId !== '' ? (visitorId(visitor.context, visitor.accountId) ?? null) : null;
    }
    return this.uuid;
  }

  /**
   * The session id (seconds) of this decision, the one its events carry: `context.sessionId` when truthy,
   * else the time of the decision.
   */
  getSessionId(): number {
    return (this.sessionId ??= sessionIdOf(this.visitor?.context, this.visitor?.time ?? Date.now()));
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
