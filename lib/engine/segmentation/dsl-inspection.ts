import { DslObject, firstKey, isPlainObject } from './dsl-utils';

/** An object with no own keys means "no segmentation" (callers pass it without evaluating). */
export function segmentIsEmpty(dsl: unknown): boolean {
  return isPlainObject(dsl) && firstKey(dsl) === undefined;
}

/** Visits the nodes the evaluator can reach (first-key dispatch through not/and/or), and every `or` child. */
function walk(node: unknown, visit: (node: DslObject, key: string) => void, visitOrChild?: (child: DslObject) => void): void {
  if (!isPlainObject(node)) return;
  const key = firstKey(node);
  if (key === undefined) return;
  visit(node, key);
  const value = node[key];
  if (key === 'not') walk(value, visit, visitOrChild);
  if ((key === 'and' || key === 'or') && Array.isArray(value)) {
    for (const child of value) {
      if (key === 'or' && isPlainObject(child)) visitOrChild?.(child);
      walk(child, visit, visitOrChild);
    }
  }
}

/** Feature ids named by `featureId` nodes that the evaluator would consult (deduplicated, in order). */
export function collectFeatureIdRefs(dsl: unknown): number[] {
  const ids = new Set<number>();
  walk(dsl, () => undefined, (child) => {
    const reference = child.featureId;
    if (!isPlainObject(reference)) return;
    const idKey = firstKey(reference);
    const state = idKey === undefined ? undefined : reference[idKey];
    const id = idKey === undefined ? NaN : parseInt(idKey);
    if ((state === 'on' || state === 'off') && !Number.isNaN(id)) ids.add(id);
  });
  return [...ids];
}

/** The (custom variable, list id) pairs of `inlist` operands, for the service to resolve before deciding. */
export function collectInlistRefs(dsl: unknown): Array<{ variable: string; listId: string }> {
  const refs = new Map<string, { variable: string; listId: string }>();
  walk(dsl, (node, key) => {
    const condition = node[key];
    if (key !== 'custom_variable' || !isPlainObject(condition)) return;
    const variable = String(firstKey(condition));
    const operand = condition[variable];
    const match = typeof operand === 'string' && operand.includes('inlist') ? /inlist\(([^)]+)\)/.exec(operand) : null;
    if (match) refs.set(JSON.stringify([variable, match[1]]), { variable, listId: match[1] });
  });
  return [...refs.values()];
}

const GATEWAY_KEYWORD = /\b(country|region|city|os|device_type|browser_string|ua|browser_version|os_version)\b/;
const INLIST_CONDITION = /"custom_variable"\s*:\s*{[^}]*inlist\([^)]*\)/;

/** docs/settings.md: VWO's textual test on the segments JSON (keywords anywhere, values included, or an inlist). */
export function usesGatewayData(dsl: unknown): boolean {
  let json: string | undefined;
  try {
    json = JSON.stringify(dsl);
  } catch {
    return false;
  }
  return json !== undefined && (GATEWAY_KEYWORD.test(json) || INLIST_CONDITION.test(json));
}
