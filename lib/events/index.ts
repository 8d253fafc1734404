export type { EventsOptions } from './events-options.interface';
export { VWOEventsService } from './vwo-events.service';
export { VWORequestError } from './vwo-request.error';
export type { FlushResult } from './vwo-events.service';
export type { DispatcherStats } from './event-dispatcher';
export type { EventEnvelope } from './event-envelope.interface';
export type { SdkInitTiming } from './event-payload.builder';
