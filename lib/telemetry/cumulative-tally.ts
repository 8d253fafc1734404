import type { Attributes, Meter } from '@opentelemetry/api';

/**
 * A counter kept as plain numbers, one per attribute set, and reported by an observable counter when the
 * SDK collects. Adding is a Map lookup and an addition: a synchronous OpenTelemetry counter hashes its
 * attributes on every add, which would cost a decision several times what the decision itself costs.
 */
export class CumulativeTally<Key extends string = string> {
  private readonly totals = new Map<Key | '', { attributes: Attributes; value: number }>();

  constructor(
    meter: Meter,
    name: string,
    description: string,
    unit: string,
    /** The attributes of each key (built once per key). */
    private readonly attributesOf: (key: Key | '') => Attributes = () => ({}),
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
