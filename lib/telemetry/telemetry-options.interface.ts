/** OpenTelemetry reporting (used only when `@opentelemetry/api` is installed and an SDK is registered). */
export interface VWOTelemetryOptions {
  /** `false` records nothing even with an SDK. @default true */
  enabled?: boolean;
  /**
   * Adds `feature_flag.context.id` (the VWO user id) to `feature_flag.evaluation` events. Off by default:
   * it is a user identifier, and leaves the process with every traced request.
   * @default false
   */
  contextId?: boolean;
}
