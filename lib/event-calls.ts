import type { DecisionEffects } from './decision-effects';
import type { VWOUserContext } from './engine/types';
import { errorMessage } from './error-message';
import { eventNameProblem, eventPropertiesOf, printableEventName } from './events/event-properties';
import type { VWOEventsService } from './events/vwo-events.service';
import type { VWOLogger } from './logger/vwo-logger.interface';
import { parseSetAttributeArguments } from './set-attribute-arguments';
import type { SettingsStore } from './settings/settings-store';
import type { UserResolution } from './user-resolution';

/**
 * trackEvent and setAttribute behind VWOService: the input checks, the user, the settings, then the events
 * layer. Each refusal is one log line giving its reason; nothing throws into the caller.
 */
export class EventCalls {
  constructor(
    private readonly store: SettingsStore,
    private readonly events: VWOEventsService,
    private readonly users: UserResolution,
    private readonly effects: DecisionEffects,
    private readonly logger: VWOLogger,
    private readonly offline: boolean,
  ) {}

  async trackEvent(eventName: string, context: VWOUserContext | undefined, properties: unknown): Promise<Record<string, boolean>> {
    const name = printableEventName(eventName);
    const result = (accepted: boolean) => ({ [name]: accepted });
    const skip = (why: string) => {
      this.logger.error(`trackEvent("${name}") skipped: ${why}; event not sent`);
      return result(false);
    };
    try {
      const badName = eventNameProblem(eventName);
      if (badName) return skip(badName);
      const checked = eventPropertiesOf(properties);
      if ('problem' in checked) return skip(checked.problem);
      const user = await this.users.resolve(context);
      const snapshot = this.store.snapshot;
      if (!user) return skip('no user context with an id');
      if (!snapshot) return skip('settings are not ready');
      if (snapshot.metric(name) === undefined) return skip('it is not a metric of any feature in the settings');
      // Offline (no sdkKey) nothing can be sent: the event is accepted when the settings know it. Online, the
      // events layer logs its own refusals.
      const accepted = this.offline || this.events.trackEvent(snapshot, name, user, checked.properties);
      if (accepted) this.effects.callIntegration({ eventName: name, api: 'trackEvent' });
      if (accepted) await this.effects.waitForTracking();
      return result(accepted);
    } catch (err) {
      this.logger.error(`trackEvent("${name}") failed: ${errorMessage(err)}`);
      return result(false);
    }
  }

  async setAttribute(keyOrMap: unknown, valueOrContext?: unknown, maybeContext?: unknown): Promise<void> {
    try {
      const { attributes, context, problem: argumentProblem } = parseSetAttributeArguments(keyOrMap, valueOrContext, maybeContext);
      const user = argumentProblem ? undefined : await this.users.resolve(context);
      const snapshot = this.store.snapshot;
      const problem = argumentProblem ?? (!user ? 'no user context with a usable id' : !snapshot ? 'settings are not ready' : undefined);
      if (problem) {
        this.logger.error(`setAttribute skipped: ${problem}`);
        return;
      }
      if (!this.offline) this.events.setAttributes(snapshot!, attributes, user!);
      await this.effects.waitForTracking();
    } catch (err) {
      this.logger.error(`setAttribute failed: ${errorMessage(err)}`);
    }
  }
}
