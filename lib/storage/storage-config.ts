import type { Type } from '@nestjs/common';
import type { VWOStorage } from './vwo-storage.interface';

/** The `storage` option: an instance, a class Nest constructs, the in-process store, or none. */
export type VWOStorageOption = VWOStorage | Type<VWOStorage> | 'memory' | false;

/** What the storage layer reads of the module options (provided under VWO_STORAGE_CONFIG). */
export interface VWOStorageConfig {
  storage?: VWOStorageOption;
  /** Milliseconds one storage read may take before the decision goes on without it. */
  storageTimeout: number;
}
