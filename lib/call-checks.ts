import { eventNameProblem, eventPropertiesOf } from './events/event-properties';

/**
 * The argument checks VWOService runs before anything else, shared with VWOTestingService so that the test
 * double refuses exactly what the real service refuses. Each returns why a call is refused, else undefined.
 * (User ids: userIdProblem in engine/user-id, also shared.)
 */

/** getFlag's feature key: a non-empty string. */
export function featureKeyProblem(featureKey: unknown): string | undefined {
  return typeof featureKey === 'string' && featureKey !== '' ? undefined : 'featureKey must be a non-empty string';
}

/** trackEvent's event name and properties, as VWOService checks them (events/event-properties). */
export function trackEventProblem(eventName: unknown, properties: unknown): string | undefined {
  const badName = eventNameProblem(eventName);
  if (badName) return badName;
  const checked = eventPropertiesOf(properties);
  return 'problem' in checked ? checked.problem : undefined;
}
