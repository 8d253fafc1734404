import type { OtelAttributes, OtelMeter } from './open-telemetry-api.types';

/**
 * A counter kept as plain numbers, one per attribute set, and reported by an observable counter when the
 * SDK collects. Adding is a Map lookup and an addition: a synchronous OpenTelemetry counter hashes its
 * attributes on every add, which would cost a decision several times what the decision itself costs.
 */
export class CumulativeTally<Key extends string = string> {
  private readonly totals = new Map<Key | '', { attributes: OtelAttributes; value: number }>();

  constructor(
    meter: OtelMeter,
    name: string,
    description: string,
    unit: string,
    /** The attributes of each key (built once per key). */
    private readonly attributesOf: (key: Key | '') => OtelAttributes = () => ({}),
  ) {
    meter.createObservableCounter(name, { description, unit }).addCallback((result) => {
      for (const total of this.totals.values()) result.observe(total.value, total.attributes);
    });
  }

  add(count: number, key: Key | '' = ''): void {
    const total = this.totals.get(key);
    if (total) total.value += count;
    else this.totals.set(key, { attributes: Object.freeze(this.attributesOf(key)), value: count });
  }
}
