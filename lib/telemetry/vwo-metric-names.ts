/** The names of the module's OpenTelemetry metrics, all under `vwo.` (documented in the README). */
export const VWO_METRICS = {
  /** Counter of getFlag decisions, by `vwo.reason` and `feature_flag.result.reason`. */
  decisions: 'vwo.flag.decisions',
  /** Counter of events accepted into the pipeline. */
  eventsQueued: 'vwo.events.queued',
  /** Counter of events VWO accepted. */
  eventsSent: 'vwo.events.sent',
  /** Counter of event re-sends by the retry policy (events × retries). */
  eventsRetried: 'vwo.events.retried',
  /** Counter of events given up, by `vwo.drop.cause`. */
  eventsDropped: 'vwo.events.dropped',
  /** Gauge of events waiting in the queue. */
  eventQueueLength: 'vwo.events.queue.length',
  /** Histogram of event request durations in seconds (retries included), by `vwo.outcome`. */
  eventRequestDuration: 'vwo.events.request.duration',
  /** Counter of settings fetches, by `vwo.outcome`. */
  settingsFetches: 'vwo.settings.fetches',
  /** Gauge of seconds since a valid settings document was last received. */
  settingsAge: 'vwo.settings.age',
  /** Counter of storage reads that ran past `storageTimeout`. */
  storageTimeouts: 'vwo.storage.timeouts',
  /** Counter of storage calls that threw or rejected, by `vwo.operation`. */
  storageErrors: 'vwo.storage.errors',
} as const;
