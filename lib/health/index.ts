export { VWOHealthIndicator } from './vwo.health-indicator';
export type { VWOEventPipelineHealth, VWOHealthCheckOptions, VWOHealthDetails, VWOHealthIndicatorResult, VWOHealthStatus } from './vwo-health.types';
