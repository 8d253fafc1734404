/**
 * Flag.getUUID() / getSessionId() against VWO's official SDK (1.35, offline): for the same settings and
 * contexts at the same instant, our flag reports the visitor id and session id the official SDK put in its
 * impression. (1.35 predates context.uuid, web-id passthrough and context.sessionId; those are covered
 * by the unit and wire tests.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOfficialSdk, OfficialSdk } from '../../bench/support/official-sdk';
import { bootVWO, BootedApp } from '../module/helpers/boot';

const SETTINGS = JSON.parse(
  readFileSync(join(__dirname, '../../node_modules/vwo-fme-sdk-e2e-test-settings-n-cases/src/settings/OnlyRolloutSettings.json'), 'utf8'),
) as Record<string, unknown>;
const FEATURE = 'feature1';
/** Fixed instants, one just past a second boundary (the session id rounds up). */
const INSTANTS = [1_700_000_000_000, 1_700_000_000_001, 1_712_345_678_999];
const USERS: Array<string | number> = ['diff-visitor-1', 'user-123', 42, 'ünïcødé-用户', 'a'.repeat(600)];

/** Fakes only the clock: promises, timers and I/O run for real. */
function freezeClock(now: number): void {
  jest.useFakeTimers({
    now,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
}

describe('Flag visitor id and session id vs the official SDK', () => {
  let official: OfficialSdk;
  let ours: BootedApp;

  beforeAll(async () => {
    official = await createOfficialSdk(SETTINGS);
    ours = await bootVWO({ accountId: String(SETTINGS.accountId), settings: JSON.parse(JSON.stringify(SETTINGS)) as Record<string, unknown> });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await ours.app.close();
  });
  afterEach(() => jest.useRealTimers());

  const cases = INSTANTS.flatMap((now) => USERS.map((id): [number, string | number] => [now, id]));

  it.each(cases)('at %p, user %p', async (now, id) => {
    freezeClock(now);
    const before = official.requests.length;
    const theirs = await official.getFlag(FEATURE, { id });
    const impression = official.requests.slice(before).find((r) => r.eventName === 'vwo_variationShown');
    const flag = await ours.vwo.getFlag(FEATURE, { id });

    expect(theirs.isEnabled()).toBe(flag.isEnabled());
    const d = (impression?.body as { d: { visId: string; sessionId: number } } | undefined)?.d;
    expect(d).toBeDefined();
    expect({ uuid: flag.getUUID(), sessionId: flag.getSessionId() }).toEqual({ uuid: d!.visId, sessionId: d!.sessionId });
  });
});
