export { InjectVWO } from './inject-vwo.decorator';
export { getVWOServiceToken } from './vwo-service-token';
export { DEFAULT_VWO_INSTANCE, getVWOInstanceToken, getVWOPollIntervalName, type VWOInstancePart } from './vwo-instance.tokens';
