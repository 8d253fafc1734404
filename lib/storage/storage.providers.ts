import { Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { VWOResolvedOptions } from '../options/vwo-module-options.interface';
import { VWO_OPTIONS, VWO_STORAGE } from '../vwo.constants';
import { VWOMemoryStorage } from './memory-storage';
import type { VWOStorage } from './vwo-storage.interface';

/**
 * VWO_STORAGE: the configured instance; a class is constructed by Nest (ModuleRef.create resolves its
 * constructor dependencies, e.g. a Redis client from the module's imports); `false` means none (null);
 * nothing means the bounded in-memory store.
 */
export const vwoStorageProvider: Provider = {
  provide: VWO_STORAGE,
  inject: [VWO_OPTIONS, ModuleRef],
  useFactory: async (options: VWOResolvedOptions, moduleRef: ModuleRef): Promise<VWOStorage | null> => {
    const storage = options.storage;
    if (storage === false) return null;
    if (storage === undefined) return new VWOMemoryStorage();
    if (typeof storage === 'function') return moduleRef.create(storage as Type<VWOStorage>);
    return storage;
  },
};
