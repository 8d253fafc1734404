import { Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { VWO_STORAGE } from '../vwo.constants';
import { VWO_STORAGE_CONFIG } from '../vwo.internal-constants';
import { VWOMemoryStorage } from './memory-storage';
import type { VWOStorageConfig } from './storage-config';
import type { VWOStorage } from './vwo-storage.interface';

/**
 * VWO_STORAGE: the configured instance; a class is constructed by Nest (ModuleRef.create resolves its
 * constructor dependencies, e.g. a Redis client from the module's imports); nothing or `false` means none
 * (null), as in VWO's SDKs: hashing alone gives every replica the same answer, where a per-process store
 * would make replicas disagree after a traffic change.
 */
export const vwoStorageProvider: Provider = {
  provide: VWO_STORAGE,
  inject: [VWO_STORAGE_CONFIG, ModuleRef],
  useFactory: async (config: VWOStorageConfig, moduleRef: ModuleRef): Promise<VWOStorage | null> => {
    const storage = config.storage;
    if (storage === false || storage === undefined) return null;
    if (storage === 'memory') return new VWOMemoryStorage();
    if (typeof storage === 'function') return moduleRef.create(storage as Type<VWOStorage>);
    return storage;
  },
};
