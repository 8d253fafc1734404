import { VWOTelemetry } from './vwo-telemetry';

/** The recorder without OpenTelemetry: every method returns at once. */
export class NoopTelemetry extends VWOTelemetry {
  readonly active = false;
  decision(): void {}
  eventsQueued(): void {}
  eventRequest(): void {}
  eventsDropped(): void {}
  settingsFetch(): void {}
  storageTimeout(): void {}
  storageError(): void {}
  observe(): void {}
  dispose(): void {}
}

/** One shared instance: the default of every class that reports (tests construct them without Nest). */
export const NOOP_TELEMETRY: VWOTelemetry = new NoopTelemetry();
