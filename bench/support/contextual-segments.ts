/**
 * Segments on what the request tells about the user rather than on custom variables: `ua` and `ip_address`
 * (read from the context's userAgent / ipAddress), `browser_version` / `os_version`, location nodes
 * (`country`, `region`, `city`, only inside `and`) and user-agent parser nodes (`os`, `browser_string`,
 * `device_type`, `device`, only inside `or`), all read from the `_vwo` details a caller may pass in the
 * context (docs/segmentation.md). The values are chosen so that every operand matches some contexts and not others.
 */
import type { Prng } from './prng';
import type { Segments } from './settings-document';

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0%20(iPhone;%20CPU%20iPhone%20OS%2017_1)%20Safari/604.1',
  'curl/8.0',
  'CURL/8.0',
  '120',
  '0120',
  // A malformed escape: decoding it throws on both sides when a `ua` node is evaluated.
  'bad%E0%A4%A',
];
// Some only match the decoded user agent (`%20` is a space once decoded).
const UA_OPERANDS = ['wildcard(*Chrome*)', 'regex(CPU iPhone)', 'wildcard(*(iPhone; CPU*)', 'lower(CURL/8.0)', 'curl/8.0', 'gt(100)', '120', 'wildcard(Mozilla*)', 'regex(^\\d+$)'];

const IPS = ['10.0.0.1', '192.168.1.20', '2001:db8::1', '10.0.0.10'];
const IP_OPERANDS = ['10.0.0.1', 'wildcard(10.*)', 'regex(^192\\.168)', 'wildcard(*::1)', '"10.0.0.1"', ' 10.0.0.1 '];

const BROWSER_VERSIONS: readonly unknown[] = ['120.0.1', '120', '99', 119, '120.0', null];
const OS_VERSIONS: readonly unknown[] = ['10', '14.2', '17.1.1', 17, '14'];
const VERSION_OPERANDS = ['gt(119)', '120', 'lt(100)', 'gte(120.0)', 'regex(^12)', 'wildcard(12*)', '"120"', 'regex(^120\\.0\\.)', '"120.0.1"', 'gte(14)', '10', 'lt(15)', 'wildcard(17.*)', '14.2'];

const LOCATION: Readonly<Record<'country' | 'region' | 'city', readonly string[]>> = {
  country: ['India', 'US', '"India"', ' India ', 'india'],
  region: ['Delhi', 'California', '"Delhi"'],
  city: ['New Delhi', 'San Francisco', 'New Delhi '],
};
const LOCATION_KEYS = Object.keys(LOCATION) as Array<keyof typeof LOCATION>;

const UA_DETAILS: Readonly<Record<'os' | 'browser_string' | 'device_type' | 'device', readonly string[]>> = {
  os: ['Windows', 'iOS', 'Android', 'Mac OS'],
  browser_string: ['Chrome', 'Safari', 'Firefox', 'Mobile Safari'],
  device_type: ['desktop', 'mobile', 'tablet'],
  device: ['iPhone', 'Pixel 7', 'Other'],
};
const UA_DETAIL_KEYS = Object.keys(UA_DETAILS) as Array<keyof typeof UA_DETAILS>;
// Unanchored: `and` matches Android, `pho` iPhone.
const UA_DETAIL_PATTERNS = ['wildcard(win*)', 'wildcard(*safari)', 'wildcard(mob*)', 'wildcard(i*)', 'wildcard(and)', 'wildcard(pho)'];

/** One contextual node; `other` makes a sibling of any kind (location and parser nodes sometimes get one). */
export function randomContextualLeaf(rng: Prng, other: () => Segments): Segments {
  switch (rng.int(0, 5)) {
    case 0:
      return { ua: rng.pick(UA_OPERANDS) };
    case 1:
      return { ip_address: rng.pick(IP_OPERANDS) };
    case 2:
      return { [rng.pick(['browser_version', 'os_version'])]: rng.pick(VERSION_OPERANDS) };
    case 3:
    case 4: {
      // Location nodes only count inside `and`: all of them (a mixed `and` skips them).
      const keys = rng.sample(LOCATION_KEYS, rng.int(1, 3));
      const children: Segments[] = keys.map((k) => ({ [k]: rng.pick(LOCATION[k]) }));
      if (rng.chance(0.15)) children.push(other());
      if (rng.chance(0.1)) children.push({ [keys[0]]: rng.pick(LOCATION[keys[0]]) });
      return { and: children };
    }
    default: {
      // Parser nodes only count inside an `or` made of them alone.
      const children: Segments[] = rng.sample(UA_DETAIL_KEYS, rng.int(1, 3)).map((k) => ({ [k]: uaDetailExpectation(rng, k) }));
      if (rng.chance(0.15)) children.push(other());
      return { or: children };
    }
  }
}

function uaDetailExpectation(rng: Prng, key: keyof typeof UA_DETAILS): string | string[] {
  const one = (): string => (rng.chance(0.4) ? rng.pick(UA_DETAIL_PATTERNS) : rng.pick(UA_DETAILS[key]));
  return rng.chance(0.3) ? [one(), one()] : one();
}

/** Adds a user agent, an IP and `_vwo` details to `context`, each only some of the time (partial maps too). */
export function addContextualFields(rng: Prng, context: Record<string, unknown>): void {
  if (rng.chance(0.8)) context.userAgent = rng.pick(USER_AGENTS);
  if (rng.chance(0.7)) context.ipAddress = rng.pick(IPS);
  if (!rng.chance(0.75)) return;
  const vwo: Record<string, unknown> = {};
  if (rng.chance(0.8)) vwo.location = pickSome(rng, LOCATION_KEYS, (k) => rng.pick(LOCATION[k]));
  if (rng.chance(0.8)) {
    const details: Record<string, unknown> = pickSome(rng, UA_DETAIL_KEYS, (k) => rng.pick(UA_DETAILS[k]));
    if (rng.chance(0.7)) details.browser_version = rng.pick(BROWSER_VERSIONS);
    if (rng.chance(0.7)) details.os_version = rng.pick(OS_VERSIONS);
    vwo.userAgent = details;
  }
  context._vwo = vwo;
}

/** Most keys of `keys` (all of them most of the time), each with a value from `value`. */
function pickSome<K extends string>(rng: Prng, keys: readonly K[], value: (key: K) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (rng.chance(0.85)) out[k] = value(k);
  return out;
}
