import type { ModuleRef } from '@nestjs/core';
import type { VWORequestFlags } from './vwo-request-flags';
import { DEFAULT_VWO_INSTANCE, getVWOInstanceToken, vwoInstanceName } from '../instances/vwo-instance.tokens';

/**
 * The request flags of each VWOModule instance, for the enhancers (guard, param pipe) that decide for
 * whichever instance a decorator names. Each instance provides its own under a name-derived token; they
 * are looked up once, on first use (every module exists by then), through the app's ModuleRef.
 */
export class VWOInstanceFlags {
  private readonly byName = new Map<string, VWORequestFlags>();

  /** `ownDefault`: the default instance's flags when the enhancer was given them at construction. */
  constructor(
    private readonly moduleRef: ModuleRef | undefined,
    ownDefault?: VWORequestFlags,
  ) {
    if (ownDefault) this.byName.set(DEFAULT_VWO_INSTANCE, ownDefault);
  }

  /** The flags of the named instance (the default one without a name); throws when the app has no such instance. */
  of(instance: string | undefined): VWORequestFlags {
    const name = instance === undefined ? DEFAULT_VWO_INSTANCE : vwoInstanceName(instance);
    let flags = this.byName.get(name);
    if (!flags) this.byName.set(name, (flags = this.lookup(name)));
    return flags;
  }

  private lookup(name: string): VWORequestFlags {
    let found: VWORequestFlags | undefined;
    try {
      found = this.moduleRef?.get<VWORequestFlags>(getVWOInstanceToken(name, 'request-flags'), { strict: false });
    } catch {
      // Not provided: said below.
    }
    if (found) return found;
    if (name === DEFAULT_VWO_INSTANCE) {
      throw new Error('No default VWOModule in this app: import VWOModule.forRoot(...) without a name, or name the instance ({ instance: "..." })');
    }
    throw new Error(`No VWOModule named "${name}" in this app: import VWOModule.forRoot({ name: '${name}', ... })`);
  }
}
