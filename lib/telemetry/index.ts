export { VWOTelemetry, type EventDropCause, type EventRequestReport, type SettingsFetchOutcome, type TelemetryGaugeSources } from './vwo-telemetry';
export { VWO_METRICS } from './vwo-metric-names';
