import type { OtelAttributes, OtelMeter } from './open-telemetry-api.types';

/**
 * A counter kept as plain numbers, one per attribute set, and reported by an observable counter when the
 * SDK collects. Adding is a Map lookup and an addition: a synchronous OpenTelemetry counter hashes its
 * attributes on every add, which would cost a decision several times what the decision itself costs.
 * One tally per metric and meter in the process (see `tallyOf`): module instances share it, and what a
 * closed one counted stays counted.
 */
export class CumulativeTally<Key extends string = string> {
  /** By key, prefixed by the instance name for a named VWOModule (its counts carry `vwo.instance`). */
  private readonly totals = new Map<string, { attributes: OtelAttributes; value: number }>();

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

  /** `instance`: the name of a named VWOModule instance (undefined for the default one). */
  add(count: number, key: Key | '' = '', instance?: string): void {
    const slot = instance === undefined ? key : `${instance}\u0000${key}`;
    const total = this.totals.get(slot);
    if (total) total.value += count;
    else this.totals.set(slot, { attributes: Object.freeze(withInstance(this.attributesOf(key), instance)), value: count });
  }
}

/** A named instance's metrics carry its name, so two instances' counts stay apart. */
export function withInstance(attributes: OtelAttributes, instance: string | undefined): OtelAttributes {
  return instance === undefined ? attributes : { ...attributes, 'vwo.instance': instance };
}

/** Tallies by meter, then metric name (their key types differ by metric). */
const tallies = new WeakMap<OtelMeter, Map<string, unknown>>();

/** The process's tally of this metric on this meter, registered with the SDK the first time it is asked for. */
export function tallyOf<Key extends string = string>(
  meter: OtelMeter,
  name: string,
  description: string,
  unit: string,
  attributesOf?: (key: Key | '') => OtelAttributes,
): CumulativeTally<Key> {
  let byName = tallies.get(meter);
  if (!byName) tallies.set(meter, (byName = new Map()));
  let tally = byName.get(name) as CumulativeTally<Key> | undefined;
  if (!tally) byName.set(name, (tally = new CumulativeTally<Key>(meter, name, description, unit, attributesOf)));
  return tally;
}
