export { VWORedisStorage } from './redis-storage';
export type { VWORedisClient, VWORedisStorageOptions, VWORedisSubscriberClient } from './redis-storage.options';
