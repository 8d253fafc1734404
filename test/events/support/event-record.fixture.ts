import type { EventRecord } from '../../../lib/events/event-envelope.interface';

/** One queued event record for the serializer specs: a variation-shown of a fixed visitor and time, no impression, as `overrides` change it. */
export function eventRecord(overrides: Partial<EventRecord>): EventRecord {
  return {
    name: 'vwo_variationShown',
    visId: 'CC25A368ADA0542699EAD62489811105',
    sessionId: 1_700_000_001,
    time: 1_700_000_000_123,
    userAgent: '',
    ipAddress: '',
    visitorHeaders: true,
    impression: undefined,
    eventProps: undefined,
    visitorProps: undefined,
    ...overrides,
  };
}
