import type { OtelObservable, OtelObservableCallback } from './open-telemetry-api.types';

/**
 * The observable instruments one module instance registered, so it can unregister them when it shuts
 * down: the SDK's meter outlives the module, and a closed module must not keep reporting.
 */
export class ObservedMetrics {
  private readonly registered: Array<[OtelObservable, OtelObservableCallback]> = [];

  add(instrument: OtelObservable, callback: OtelObservableCallback): void {
    instrument.addCallback(callback);
    this.registered.push([instrument, callback]);
  }

  removeAll(): void {
    for (const [instrument, callback] of this.registered.splice(0)) instrument.removeCallback(callback);
  }
}
