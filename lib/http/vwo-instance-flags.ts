import type { ModuleRef } from '@nestjs/core';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { VWOService } from '../vwo.service';
import { VWORequestFlags, type VWOHttpOptions } from './vwo-request-flags';
import { DEFAULT_VWO_INSTANCE, getVWOInstanceToken, vwoInstanceName } from '../instances/vwo-instance.tokens';

/**
 * The request flags of each VWOModule instance, for the enhancers (guard, param pipe) that decide for
 * whichever instance a decorator names. Each instance provides its own under a name-derived token; they
 * are looked up once, on first use (every module exists by then), through the app's ModuleRef.
 * Held by composition (never a base class): each enhancer keeps its own constructor and parameter
 * decorators, which is what Nest's injector reads.
 */
export class VWOInstanceFlags {
  private readonly byName = new Map<string, VWORequestFlags>();

  /** `ownDefault`: the default instance's flags when the enhancer was given them at construction. */
  constructor(
    private readonly moduleRef: ModuleRef | undefined,
    private readonly ownDefault?: VWORequestFlags,
  ) {
    if (ownDefault) this.byName.set(DEFAULT_VWO_INSTANCE, ownDefault);
  }

  /**
   * From an enhancer's optional injections: the default instance's flags when the app has a default
   * VWOModule (VWOService injected), the others through ModuleRef.
   */
  static forEnhancer(vwo?: VWOService, options?: VWOHttpOptions, logger?: VWOLogger, moduleRef?: ModuleRef): VWOInstanceFlags {
    return new VWOInstanceFlags(moduleRef, vwo && new VWORequestFlags(vwo, options, logger));
  }

  /** The default instance's flags. */
  get default(): VWORequestFlags {
    return this.of(undefined);
  }

  /** The flags of the named instance (the default one without a name); throws when the app has no such instance. */
  of(instance: string | undefined): VWORequestFlags {
    // The default instance's own flags skip the map: the common case, on every gated request.
    if (instance === undefined && this.ownDefault) return this.ownDefault;
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
