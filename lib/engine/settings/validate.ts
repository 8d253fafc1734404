/**
 * Settings validation with the semantics of VWO's Node SDK (superstruct 0.14, docs/settings.md):
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

function eachItem(o: Rec, k: string, p: string, optional: boolean, item: ObjectCheck, what: string): void {
  const arr = listAt(o, k, p, optional, what);
  if (arr !== undefined) for (let i = 0; i < arr.length; i++) checkItem(arr, i, at(p, k), item, what);
}

/** The list at `o[k]`, or undefined when an optional list is absent. */
function listAt(o: Rec, k: string, p: string, optional: boolean, what: string): unknown[] | undefined {
  const arr = o[k];
  if (arr === undefined && optional) return undefined;
  if (!Array.isArray(arr)) fail(o, k, at(p, k), optional ? `${EXP_ARR} of ${what} or no value` : `${EXP_ARR} of ${what}`);
  return arr;
}

/**
 * Checks one list item without building its path: a valid document (the usual case) then allocates nothing.
 * A failing item is checked again with its real path, which names the field in the error.
 */
function checkItem(arr: unknown[], i: number, path: string, item: ObjectCheck, what: string): void {
  const v = arr[i];
  if (!isObj(v)) fail(v, null, `${path}[${i}]`, `${what}`);
  try {
    item(v, '');
  } catch {
    item(v, `${path}[${i}]`);
  }
}

/** Checks field `k` of the object `o` found at path `p`. */
type FieldCheck = (o: Rec, k: string, p: string) => void;
/** Checks a whole object found at path `p`. */
type ObjectCheck = (o: Rec, p: string) => void;

/** A schema: its fields' checks in the SDK's schema order (object keys keep insertion order). */
function schema(fields: Readonly<Record<string, FieldCheck>>): ObjectCheck {
  const keys = Object.keys(fields);
  const checks = Object.values(fields);
  return (o, p) => {
    for (let i = 0; i < keys.length; i++) checks[i](o, keys[i], p);
  };
}

const reqItems =
  (item: ObjectCheck, what: string): FieldCheck =>
  (o, k, p) =>
    eachItem(o, k, p, false, item, what);
const optItems =
  (item: ObjectCheck, what: string): FieldCheck =>
  (o, k, p) =>
    eachItem(o, k, p, true, item, what);

const variableValue: FieldCheck = (v, k, p) => {
  const val = v[k];
  if (!(isNum(val) || typeof val === 'string' || typeof val === 'boolean' || isObj(val))) {
    fail(v, k, at(p, k), 'a number, string, boolean or object (null is not allowed)');
  }
};

const numberList: FieldCheck = (h, k, p) => {
  const ids = h[k];
  if (!Array.isArray(ids)) fail(h, k, at(p, k), `${EXP_ARR} of numbers`);
  for (let i = 0; i < ids.length; i++) {
    if (!isNum(ids[i])) fail(ids[i], null, `${at(p, k)}[${i}]`, EXP_NUM);
  }
};

const metric = schema({ id: reqNumStr, type: reqStr, identifier: reqStr, mca: optNumStr, hasProps: optBool, revenueProp: optStr });
const variable = schema({ id: reqNumStr, type: reqStr, key: reqStr, value: variableValue });
const variation = schema({
  id: reqNumStr, name: reqStr, weight: reqNumStr, segments: optObj,
  variables: optItems(variable, 'an object (variable)'),
  startRangeVariation: optNum, endRangeVariation: optNum, salt: optStr,
});
const campaign = schema({
  id: reqNumStr, type: reqStr, key: reqStr, percentTraffic: optNum, status: reqStr,
  variations: reqItems(variation, 'an object (variation)'),
  segments: reqObj, isForcedVariationEnabled: optBool, isAlwaysCheckSegment: optBool, name: reqStr, salt: optStr,
});
const rule = schema({ type: reqStr, ruleKey: reqStr, campaignId: reqNum, variationId: optNum });
const feature = schema({
  id: reqNumStr, key: reqStr, status: reqStr, name: reqStr, type: reqStr,
  metrics: reqItems(metric, 'an object (metric)'),
  impactCampaign: optObj,
  rules: optItems(rule, 'an object (rule)'),
  variables: optItems(variable, 'an object (variable)'),
});
const holdout = schema({
  id: reqNumStr, name: reqStr, segments: reqObj, percentTraffic: reqNum, isGlobal: reqBool, featureIds: numberList,
  metrics: reqItems(metric, 'an object (metric)'),
});

const sdkMetaInfo: FieldCheck = (s, k) => {
  const meta = s[k];
  if (meta === undefined) return;
  if (!isObj(meta)) fail(s, k, k, `${EXP_OBJ} or no value`);
  for (const key of Object.keys(meta)) {
    if (key !== 'wasInitializedEarlier') fail(meta, key, `${k}.${key}`, 'no such key (only wasInitializedEarlier is allowed)');
  }
  optBool(meta, 'wasInitializedEarlier', k);
};

/** `[]`-style holdouts are validated item by item; `{}` (VWO's "none") is the only object allowed. */
const holdouts: FieldCheck = (s, k, p) => {
  const h = s[k];
  if (h === undefined) return;
  if (Array.isArray(h)) eachItem(s, k, p, false, holdout, 'an object (holdout)');
  else if (!isObj(h) || Object.keys(h).length > 0) fail(s, k, k, `${EXP_ARR} of holdouts, or {}`);
};

const documentFields = Object.entries<FieldCheck>({
  sdkKey: optStr, version: reqNumStr, accountId: reqNumStr, usageStatsAccountId: optNum,
  features: optItems(feature, 'an object (feature)'),
  campaigns: reqItems(campaign, 'an object (campaign)'),
  groups: optObj, campaignGroups: optObj, collectionPrefix: optStr, sdkMetaInfo, pollInterval: optNum, holdouts,
});

/** Validates a (possibly normalised) settings document; throws SettingsValidationError on the first problem. */
export function validateSettings(s: unknown): asserts s is Rec {
  const steps = validateSettingsSteps(s);
  while (!steps.next().done);
}

/** How many features or campaigns are checked between two pauses of a stepped validation. */
const ITEMS_PER_STEP = 256;

/**
 * validateSettings in steps: yields between slices of the features and campaigns lists, so a caller can let other
 * work run while a large document is checked. Checks and their order are validateSettings' own.
 */
export function* validateSettingsSteps(s: unknown): Generator<void, void> {
  if (!isObj(s)) fail(s, null, '', 'a settings object');
  for (const [k, check] of documentFields) {
    const item = k === 'features' ? feature : k === 'campaigns' ? campaign : undefined;
    if (item === undefined) {
      check(s, k, '');
      continue;
    }
    const what = k === 'features' ? 'an object (feature)' : 'an object (campaign)';
    const arr = listAt(s, k, '', k === 'features', what);
    if (arr === undefined) continue;
    for (let i = 0; i < arr.length; i++) {
      checkItem(arr, i, k, item, what);
      if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    }
  }
}

/**
 * docs/settings.md: `features`/`campaigns` missing or with zero own keys become `[]` (shallow copy; the input is not touched).
 * VWO applies this to fetched settings and updateSettings, not to settings passed to init.
 */
export function normalizeSettings(s: unknown): unknown {
  if (!isObj(s)) return s;
  const out: Rec = { ...s };
  if (!out.features || Object.keys(out.features as object).length === 0) out.features = [];
  if (!out.campaigns || Object.keys(out.campaigns as object).length === 0) out.campaigns = [];
  return out;
}
