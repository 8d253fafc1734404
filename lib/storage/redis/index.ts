export { VWORedisStorage } from './redis-storage';
export type { VWORedisClient, VWORedisStorageOptions } from './redis-storage.options';
