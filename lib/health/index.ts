export { VWOHealthIndicator } from './vwo.health-indicator';
export type { VWOHealthCheckOptions, VWOHealthDetails, VWOHealthIndicatorResult, VWOHealthStatus } from './vwo-health.types';
