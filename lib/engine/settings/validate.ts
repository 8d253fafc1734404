/**
 * Settings validation with the semantics of VWO's Node SDK (superstruct 0.14, spec/decision.md §1, §1.9):
 * every object schema allows extra keys; "object" accepts any non-null object including arrays; numbers reject
 * NaN and are never coerced; optional fields accept `undefined`. Hand-written: one pass, no allocation on success.
 * Throws SettingsValidationError naming the first offending field, checking fields in the SDK's schema order.
 */
import { SettingsValidationError } from '../errors';

type Rec = Record<string, unknown>;

function describe(v: unknown, present: boolean): string {
  if (!present) return 'nothing (field missing)';
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array (length ${v.length})`;
  switch (typeof v) {
    case 'string': {
      const s = v.length > 40 ? `${v.slice(0, 40)}…` : v;
      return `a string (${JSON.stringify(s)})`;
    }
    case 'number':
      return `a number (${String(v)})`;
    case 'boolean':
      return `a boolean (${String(v)})`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof v}`;
  }
}

function fail(obj: unknown, key: string | null, path: string, expected: string): never {
  const present = key === null ? true : obj !== null && typeof obj === 'object' && key in (obj as object);
  const v = key === null ? obj : (obj as Rec | null)?.[key];
  throw new SettingsValidationError(path, expected, describe(v, present));
}

const isObj = (v: unknown): v is Rec => typeof v === 'object' && v !== null;
const isNum = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
const isNumOrStr = (v: unknown): boolean => typeof v === 'string' || isNum(v);

const EXP_NUM_STR = 'a number or a string';
const EXP_NUM = 'a number (not NaN, not a numeric string)';
const EXP_STR = 'a string';
const EXP_BOOL = 'a boolean';
const EXP_OBJ = 'an object';
const EXP_ARR = 'an array';

function at(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

// Field checkers: `o` is a non-null object; `p` is its path.
function reqNumStr(o: Rec, k: string, p: string): void {
  if (!isNumOrStr(o[k])) fail(o, k, at(p, k), EXP_NUM_STR);
}
function reqStr(o: Rec, k: string, p: string): void {
  if (typeof o[k] !== 'string') fail(o, k, at(p, k), EXP_STR);
}
function reqNum(o: Rec, k: string, p: string): void {
  if (!isNum(o[k])) fail(o, k, at(p, k), EXP_NUM);
}
function reqBool(o: Rec, k: string, p: string): void {
  if (typeof o[k] !== 'boolean') fail(o, k, at(p, k), EXP_BOOL);
}
function reqObj(o: Rec, k: string, p: string): void {
  if (!isObj(o[k])) fail(o, k, at(p, k), EXP_OBJ);
}
function optStr(o: Rec, k: string, p: string): void {
  const v = o[k];
  if (v !== undefined && typeof v !== 'string') fail(o, k, at(p, k), `${EXP_STR} or no value`);
}
function optNum(o: Rec, k: string, p: string): void {
  const v = o[k];
  if (v !== undefined && !isNum(v)) fail(o, k, at(p, k), `${EXP_NUM} or no value`);
}
function optNumStr(o: Rec, k: string, p: string): void {
  const v = o[k];
  if (v !== undefined && !isNumOrStr(v)) fail(o, k, at(p, k), `${EXP_NUM_STR} or no value`);
}
function optBool(o: Rec, k: string, p: string): void {
  const v = o[k];
  if (v !== undefined && typeof v !== 'boolean') fail(o, k, at(p, k), `${EXP_BOOL} or no value`);
}
function optObj(o: Rec, k: string, p: string): void {
  const v = o[k];
  if (v !== undefined && !isObj(v)) fail(o, k, at(p, k), `${EXP_OBJ} or no value (null is not allowed)`);
}

function eachItem(o: Rec, k: string, p: string, optional: boolean, item: (v: Rec, path: string) => void, what: string): void {
  const arr = o[k];
  if (arr === undefined && optional) return;
  const path = at(p, k);
  if (!Array.isArray(arr)) fail(o, k, path, optional ? `${EXP_ARR} of ${what} or no value` : `${EXP_ARR} of ${what}`);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    const ip = `${path}[${i}]`;
    if (!isObj(v)) fail(v, null, ip, `${what}`);
    item(v, ip);
  }
}

function metric(m: Rec, p: string): void {
  reqNumStr(m, 'id', p);
  reqStr(m, 'type', p);
  reqStr(m, 'identifier', p);
  optNumStr(m, 'mca', p);
  optBool(m, 'hasProps', p);
  optStr(m, 'revenueProp', p);
}

function variable(v: Rec, p: string): void {
  reqNumStr(v, 'id', p);
  reqStr(v, 'type', p);
  reqStr(v, 'key', p);
  const val = v.value;
  if (!(isNum(val) || typeof val === 'string' || typeof val === 'boolean' || isObj(val))) {
    fail(v, 'value', at(p, 'value'), 'a number, string, boolean or object (null is not allowed)');
  }
}

function variation(v: Rec, p: string): void {
  reqNumStr(v, 'id', p);
  reqStr(v, 'name', p);
  reqNumStr(v, 'weight', p);
  optObj(v, 'segments', p);
  eachItem(v, 'variables', p, true, variable, 'an object (variable)');
  optNum(v, 'startRangeVariation', p);
  optNum(v, 'endRangeVariation', p);
  optStr(v, 'salt', p);
}

function campaign(c: Rec, p: string): void {
  reqNumStr(c, 'id', p);
  reqStr(c, 'type', p);
  reqStr(c, 'key', p);
  optNum(c, 'percentTraffic', p);
  reqStr(c, 'status', p);
  eachItem(c, 'variations', p, false, variation, 'an object (variation)');
  reqObj(c, 'segments', p);
  optBool(c, 'isForcedVariationEnabled', p);
  optBool(c, 'isAlwaysCheckSegment', p);
  reqStr(c, 'name', p);
  optStr(c, 'salt', p);
}

function rule(r: Rec, p: string): void {
  reqStr(r, 'type', p);
  reqStr(r, 'ruleKey', p);
  reqNum(r, 'campaignId', p);
  optNum(r, 'variationId', p);
}

function feature(f: Rec, p: string): void {
  reqNumStr(f, 'id', p);
  reqStr(f, 'key', p);
  reqStr(f, 'status', p);
  reqStr(f, 'name', p);
  reqStr(f, 'type', p);
  eachItem(f, 'metrics', p, false, metric, 'an object (metric)');
  optObj(f, 'impactCampaign', p);
  eachItem(f, 'rules', p, true, rule, 'an object (rule)');
  eachItem(f, 'variables', p, true, variable, 'an object (variable)');
}

function holdout(h: Rec, p: string): void {
  reqNumStr(h, 'id', p);
  reqStr(h, 'name', p);
  reqObj(h, 'segments', p);
  reqNum(h, 'percentTraffic', p);
  reqBool(h, 'isGlobal', p);
  const ids = h.featureIds;
  if (!Array.isArray(ids)) fail(h, 'featureIds', at(p, 'featureIds'), `${EXP_ARR} of numbers`);
  for (let i = 0; i < ids.length; i++) {
    if (!isNum(ids[i])) fail(ids[i], null, `${at(p, 'featureIds')}[${i}]`, EXP_NUM);
  }
  eachItem(h, 'metrics', p, false, metric, 'an object (metric)');
}

/** Validates a (possibly normalised) settings document; throws SettingsValidationError on the first problem. */
export function validateSettings(s: unknown): asserts s is Rec {
  if (!isObj(s)) fail(s, null, '', 'a settings object');
  const p = '';
  optStr(s, 'sdkKey', p);
  reqNumStr(s, 'version', p);
  reqNumStr(s, 'accountId', p);
  optNum(s, 'usageStatsAccountId', p);
  eachItem(s, 'features', p, true, feature, 'an object (feature)');
  eachItem(s, 'campaigns', p, false, campaign, 'an object (campaign)');
  optObj(s, 'groups', p);
  optObj(s, 'campaignGroups', p);
  optStr(s, 'collectionPrefix', p);
  const meta = s.sdkMetaInfo;
  if (meta !== undefined) {
    if (!isObj(meta)) fail(s, 'sdkMetaInfo', 'sdkMetaInfo', `${EXP_OBJ} or no value`);
    for (const k of Object.keys(meta)) {
      if (k !== 'wasInitializedEarlier') fail(meta, k, `sdkMetaInfo.${k}`, 'no such key (only wasInitializedEarlier is allowed)');
    }
    optBool(meta, 'wasInitializedEarlier', 'sdkMetaInfo');
  }
  optNum(s, 'pollInterval', p);
  const h = s.holdouts;
  if (h !== undefined) {
    if (Array.isArray(h)) eachItem(s, 'holdouts', p, false, holdout, 'an object (holdout)');
    else if (!isObj(h) || Object.keys(h).length > 0) fail(s, 'holdouts', 'holdouts', `${EXP_ARR} of holdouts, or {}`);
  }
}

/**
 * §1.10: `features`/`campaigns` missing or with zero own keys become `[]` (shallow copy; the input is not touched).
 * VWO applies this to fetched settings and updateSettings, not to settings passed to init.
 */
export function normalizeSettings(s: unknown): unknown {
  if (!isObj(s)) return s;
  const out: Rec = { ...s };
  if (!out.features || Object.keys(out.features as object).length === 0) out.features = [];
  if (!out.campaigns || Object.keys(out.campaigns as object).length === 0) out.campaigns = [];
  return out;
}
