/** What trackEvent sends as an event's properties, or why it refuses them. */
export type EventPropertiesCheck = { properties: Record<string, unknown> } | { problem: string };

/**
 * The properties of a custom event: the own enumerable properties of an object, so a DTO class instance
 * (`@Body()` through `ValidationPipe({ transform: true })`) sends its fields. Refused, with the real
 * reason: an array or another non-object, and anything JSON cannot carry (a circular reference, a BigInt).
 */
export function eventPropertiesOf(value: unknown): EventPropertiesCheck {
  if (value === undefined || value === null) return { properties: {} };
  if (Array.isArray(value)) return { problem: 'properties must be an object of property names to values, not an array' };
  if (typeof value !== 'object') return { problem: `properties must be an object of property names to values, not a ${typeof value}` };
  const properties: Record<string, unknown> = { ...value };
  try {
    JSON.stringify(properties);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { problem: /circular/i.test(message) ? 'properties contain a circular reference, which JSON cannot carry' : `properties cannot be sent as JSON (${message})` };
  }
  return { properties };
}

/** A readable form of any eventName, even one String() cannot convert. */
export function printableEventName(name: unknown): string {
  if (typeof name === 'string') return name;
  try {
    return typeof name === 'symbol' ? name.toString() : String(name);
  } catch {
    return Object.prototype.toString.call(name);
  }
}

/** Why eventName is not usable, or undefined. */
export function eventNameProblem(name: unknown): string | undefined {
  if (typeof name === 'string') return name === '' ? 'eventName must be a non-empty string' : undefined;
  return `eventName must be a non-empty string, not a ${typeof name} (${printableEventName(name)})`;
}
