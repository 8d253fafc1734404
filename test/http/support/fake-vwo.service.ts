import { currentUserContext } from '../../../lib/context/request-context';
import type { VWOUserContext } from '../../../lib/engine/types';

/** A flag as the HTTP layer reads it. */
export class FakeFlag {
  constructor(
    private readonly enabled: boolean,
    private readonly variables: Record<string, unknown> = {},
  ) {}

  isEnabled(): boolean {
    return this.enabled;
  }

  getVariables(): Record<string, unknown> {
    return { ...this.variables };
  }

  getVariable<T>(key: string, defaultValue: T): T {
    return this.enabled && key in this.variables ? (this.variables[key] as T) : defaultValue;
  }
}

export type FakeRule = (user: VWOUserContext | undefined) => FakeFlag;

/**
 * Stands in for VWOService in guard unit tests: rules by feature key, and every call recorded with the
 * context it resolved (falling back to the request's context like the real service).
 */
export class FakeVWOService {
  readonly calls: Array<{ featureKey: string; context: VWOUserContext | undefined }> = [];

  constructor(private readonly rules: Record<string, FakeRule> = {}) {}

  async getFlag(featureKey: string, context?: VWOUserContext): Promise<FakeFlag> {
    const resolved = context ?? (await currentUserContext());
    this.calls.push({ featureKey, context: resolved });
    const rule = this.rules[featureKey] as FakeRule | undefined;
    return rule && resolved ? rule(resolved) : new FakeFlag(false);
  }
}
