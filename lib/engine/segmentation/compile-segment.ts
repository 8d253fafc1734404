import type { EngineLogger } from '../types';
import { compileCampaignVariation } from './campaign-variation';
import { containsKeyDeep, describe, DslObject, firstKey, isPlainObject, NEVER, throwing } from './dsl-utils';
import { compileLocationCheck, compileUaParserCheck, LOCATION_KEYS, UA_PARSER_KEYS } from './gateway-checks';
import { compileNormalisedMatcher, compileRawMatcher, parseOperand, TagMatcher, toSegmentTag } from './operand';
import { SegmentationError } from './segmentation.error';
import type { CompiledSegment, CompileContext, SegmentEnv, SegmentNode } from './segment-env';

const INLIST = /inlist\(([^)]+)\)/;

/**
 * Turns a segmentation DSL (docs/segmentation.md) into closures: operands parsed, regexes checked and built,
 * numbers parsed here, once. Never throws; malformed parts become nodes that throw SegmentationError at
 * evaluation, exactly where (and only if) VWO's Node SDK would throw.
 */
export function compileSegment(dsl: unknown, logger?: EngineLogger): CompiledSegment {
  const ctx: CompileContext = { warn: (message) => logger?.warn(message) };
  const root = compileNode(dsl, ctx);
  // docs/segmentation.md: a DSL naming campaignVariation anywhere is false for users without Web Testing data, even under `not`.
  const needsWebTesting = containsKeyDeep(dsl, 'campaignVariation');
  return (properties, env) => {
    if (needsWebTesting && !env.platformVariables?.webTestingCampaigns) return false;
    try {
      return root(properties, env);
    } catch (error) {
      if (error instanceof SegmentationError) throw error;
      throw new SegmentationError(`segment evaluation failed: ${(error as Error).message}`, { cause: error });
    }
  };
}

function compileNode(node: unknown, ctx: CompileContext): SegmentNode {
  if (!isPlainObject(node)) return throwing(`segment node must be an object, got ${describe(node)}`);
  const key = firstKey(node);
  const value = key === undefined ? undefined : node[key];
  switch (key) {
    case 'not': {
      const child = compileNode(value, ctx);
      return (properties, env) => !child(properties, env);
    }
    case 'and':
      return compileAnd(value, ctx);
    case 'or':
      return compileOr(value, ctx);
    case 'custom_variable':
      return compileCustomVariable(value, ctx);
    case 'user':
      return compileUser(value);
    case 'ua':
      return compileUa(value, ctx);
    case 'ip_address':
      return compileContextString(value, ipAddressOf, ctx);
    case 'browser_version':
      return compileContextString(value, (env) => parsedUaField(env, 'browser_version'), ctx);
    case 'os_version':
      return compileContextString(value, (env) => parsedUaField(env, 'os_version'), ctx);
    case 'campaignVariation':
      return compileCampaignVariation(value, ctx);
    default:
      ctx.warn(
        key === undefined
          ? 'empty segment node {} evaluates to false'
          : `segment operator "${key}" is not supported here (location keys only work inside an all-location "and", ` +
              `UA and featureId keys only inside "or"); it evaluates to false`,
      );
      return NEVER;
  }
}

/** The children of an `and`/`or`, iterated like VWO's (ES5-compiled) loop does. */
function childrenOf(value: unknown): unknown[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? value.split('') : [];
}

interface AndStep {
  node: SegmentNode;
  /** The location check decides the whole `and`. */
  decides: boolean;
}

/**
 * docs/segmentation.md: location children are collected, not evaluated; the location check runs (and decides) only when
 * the distinct location keys collected so far equal the number of children. Other children: first false wins.
 */
function compileAnd(value: unknown, ctx: CompileContext): SegmentNode {
  const children = childrenOf(value);
  if (!children) return throwing(`"and" needs an array, got ${describe(value)}`);
  const steps: AndStep[] = [];
  const location: Record<string, unknown> = {};
  for (const child of children) {
    if (typeof child !== 'object' || child === null) {
      steps.push({ node: throwing(`"and" child must be an object, got ${describe(child)}`), decides: false });
      break;
    }
    const childObject = child as DslObject;
    if (!LOCATION_KEYS.some((key) => key in childObject)) {
      steps.push({ node: compileNode(child, ctx), decides: false });
      continue;
    }
    for (const key of LOCATION_KEYS) if (key in childObject) location[key] = childObject[key];
    if (Object.keys(location).length === children.length) {
      const check = compileLocationCheck(location);
      steps.push({ node: (_properties, env) => check(env), decides: true });
      break;
    }
  }
  return (properties, env) => {
    for (const step of steps) {
      if (step.decides) return step.node(properties, env);
      if (!step.node(properties, env)) return false;
    }
    return true;
  };
}

interface OrStep {
  /** A featureId key with "on"/"off": its answer decides the whole `or`. */
  featureId?: (env: SegmentEnv) => boolean;
  /** All children so far were UA-parser keys: this check decides the `or` unless it throws. */
  uaCheck?: (env: SegmentEnv) => boolean;
  node: SegmentNode;
}

/** docs/segmentation.md: featureId and UA-parser keys are looked at in every key of every child, before the child itself. */
function compileOr(value: unknown, ctx: CompileContext): SegmentNode {
  const children = childrenOf(value);
  if (!children) return throwing(`"or" needs an array, got ${describe(value)}`);
  const steps: OrStep[] = [];
  const uaValues = new Map<string, string[]>();
  let uaKeyCount = 0;
  for (const child of children) {
    let featureId: OrStep['featureId'];
    if (typeof child === 'object' && child !== null) {
      for (const key in child as DslObject) {
        const keyValue = (child as DslObject)[key];
        if (UA_PARSER_KEYS.has(key)) {
          const strings = (Array.isArray(keyValue) ? keyValue : [keyValue]).filter((v): v is string => typeof v === 'string');
          uaValues.set(key, [...(uaValues.get(key) ?? []), ...strings]);
          uaKeyCount++;
        }
        if (key === 'featureId') featureId = compileFeatureId(keyValue, ctx);
        if (featureId) break;
      }
    }
    if (featureId) {
      steps.push({ featureId, node: NEVER });
      break; // it always decides, nothing after it is reachable
    }
    const uaCheck = uaKeyCount > 0 && uaKeyCount === children.length ? compileUaParserCheck(new Map(uaValues), ctx) : undefined;
    steps.push({ uaCheck, node: isUaParserNode(child) ? NEVER : compileNode(child, ctx) });
  }
  if (uaKeyCount > 0 && !steps.some((step) => step.uaCheck)) {
    ctx.warn('UA keys (os, browser_string, device_type, device) in an "or" with other conditions never match');
  }
  return (properties, env) => {
    for (const step of steps) {
      if (step.featureId) return step.featureId(env);
      if (step.uaCheck) {
        try {
          return step.uaCheck(env);
        } catch (error) {
          env.logger?.debug?.(`user agent segment check failed: ${(error as Error).message}`);
        }
      }
      if (step.node(properties, env)) return true;
    }
    return false;
  };
}

/** A child whose own evaluation is false by construction (its UA keys are handled by the `or`). */
function isUaParserNode(child: unknown): boolean {
  const key = isPlainObject(child) ? firstKey(child) : undefined;
  return key !== undefined && UA_PARSER_KEYS.has(key);
}

/** `{featureId: {"<id>": "on"|"off"}}`; other values are ignored (undefined), null throws like VWO. */
function compileFeatureId(value: unknown, ctx: CompileContext): ((env: SegmentEnv) => boolean) | undefined {
  if (value === null || value === undefined) {
    return () => {
      throw new SegmentationError('featureId node needs an object');
    };
  }
  const idKey = Object.keys(Object(value))[0];
  const state = idKey === undefined ? undefined : (value as DslObject)[idKey];
  if (state !== 'on' && state !== 'off') {
    ctx.warn(`featureId node ${JSON.stringify(value)} is not {"<id>": "on"|"off"}; it is ignored`);
    return undefined;
  }
  // VWO compares feature ids with parseInt(key), radix included ("0x1A" is 26).
  const featureId = parseInt(idKey);
  const wantOn = state === 'on';
  return (env) => {
    const stored = env.featureIdState ? env.featureIdState(featureId) : 'unknown';
    if (stored === 'unknown') return false; // VWO returns null for an unknown feature
    return (stored === 'on') === wantOn;
  };
}

function requireProperties(properties: Record<string, unknown> | undefined, node: string): Record<string, unknown> {
  if (properties === null || properties === undefined) throw new SegmentationError(`${node} node evaluated without properties`);
  return properties;
}

/** docs/segmentation.md: own-property check first, then the operand (inlist, or the operand table with normalisation). */
function compileCustomVariable(value: unknown, ctx: CompileContext): SegmentNode {
  if (!isPlainObject(value)) return throwing(`custom_variable needs an object, got ${describe(value)}`);
  const name = String(firstKey(value));
  const match = compileCustomOperand(value[name], ctx);
  return (properties, env) => {
    const props = requireProperties(properties, 'custom_variable');
    if (!Object.prototype.hasOwnProperty.call(props, name)) return false;
    return match(props[name], env);
  };
}

type ValueMatcher = (value: unknown, env: SegmentEnv) => boolean;

function compileCustomOperand(operand: unknown, ctx: CompileContext): ValueMatcher {
  if (Array.isArray(operand) && !operand.includes('inlist')) {
    // VWO's operand regexes do not apply to an array, which is then compared as its String() form.
    return fromTagMatcher(compileNormalisedMatcher({ kind: 'equal', value: String(operand) }, ctx));
  }
  if (typeof operand !== 'string') {
    return () => {
      throw new SegmentationError(`custom_variable operand must be a string, got ${describe(operand)}`);
    };
  }
  if (operand.includes('inlist')) return compileInlist(operand, ctx);
  return fromTagMatcher(compileNormalisedMatcher(parseOperand(operand), ctx));
}

function fromTagMatcher(matcher: TagMatcher): ValueMatcher {
  return (value) => matcher(toSegmentTag(value), typeof value === 'number');
}

/** docs/segmentation.md: answered by the pre-resolved gateway lookups in env.inList. */
function compileInlist(operand: string, ctx: CompileContext): ValueMatcher {
  const match = INLIST.exec(operand);
  if (!match) {
    ctx.warn(`custom_variable operand ${JSON.stringify(operand)} is not a valid inlist(<listId>); it is false`);
    return () => false;
  }
  const listId = match[1];
  return (value, env) => {
    const attribute = toSegmentTag(value);
    return attribute !== null && env.inList !== undefined && env.inList(listId, attribute);
  };
}

/** docs/segmentation.md: comma-separated ids, trimmed, compared loosely with `_wingifyUserId ?? _vwoUserId`. */
function compileUser(value: unknown): SegmentNode {
  if (typeof value !== 'string') return throwing(`user operand must be a string, got ${describe(value)}`);
  const ids = value.split(',').map((id) => id.trim());
  return (properties) => {
    const props = requireProperties(properties, 'user');
    const userId = props._wingifyUserId ?? props._vwoUserId;
    // Loose equality on purpose: VWO matches "123" against the number 123.
    return ids.some((id) => id == userId);
  };
}

/** docs/segmentation.md: the raw user agent, URI-decoded, against the operand table with numeric normalisation. */
function compileUa(value: unknown, ctx: CompileContext): SegmentNode {
  const parsed = typeof value === 'string' ? parseOperand(value) : { kind: 'equal' as const, value: String(value) };
  const matcher = compileNormalisedMatcher(parsed, ctx);
  return (_properties, env) => {
    if (!env.userAgent) return false;
    let tag: string;
    try {
      tag = decodeURIComponent(env.userAgent);
    } catch (error) {
      throw new SegmentationError('malformed % escape in userAgent', { cause: error });
    }
    return matcher(tag);
  };
}

/** docs/segmentation.md: ip_address / browser_version / os_version, compared without numeric normalisation. */
function compileContextString(value: unknown, tagOf: (env: SegmentEnv) => string | null, ctx: CompileContext): SegmentNode {
  const matcher = compileRawMatcher(String(value), ctx);
  return (_properties, env) => matcher(tagOf(env));
}

function ipAddressOf(env: SegmentEnv): string | null {
  return env.ipAddress || null;
}

function parsedUaField(env: SegmentEnv, field: 'browser_version' | 'os_version'): string | null {
  const ua = env.gateway?.userAgent;
  if (!ua || typeof ua !== 'object' || firstKey(ua) === undefined || !(field in ua)) return null;
  const value = ua[field];
  return value === null ? null : String(value);
}
