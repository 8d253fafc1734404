import { VWOMemoryStorage } from '../../lib/storage/memory-storage';
import { describeStorageContract } from '../support/storage-contract';

describeStorageContract('VWOMemoryStorage', () => new VWOMemoryStorage());
