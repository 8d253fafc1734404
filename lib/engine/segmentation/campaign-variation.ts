import type { VWOUserContext } from '../types';
import { NEVER } from './dsl-utils';
import type { CompileContext, SegmentNode } from './segment-env';

type WebTestingCampaigns = NonNullable<VWOUserContext['platformVariables']>['webTestingCampaigns'];
type Assignments = ReadonlyMap<string, string>;

/**
 * docs/segmentation.md: Web Testing pre-segmentation against `platformVariables.webTestingCampaigns`
 * (campaign id ⇒ variation id). Forms: `C`, `!C`, `C_V`, `C_!V`, with C and V made of digits.
 */
export function compileCampaignVariation(operand: unknown, ctx: CompileContext): SegmentNode {
  const text = typeof operand === 'number' && Number.isFinite(operand) ? String(operand) : operand;
  if (typeof text !== 'string' || text.trim() === '') {
    ctx.warn(`campaignVariation operand ${JSON.stringify(operand)} is not a campaign reference; it is false`);
    return NEVER;
  }
  const test = parseReference(text.trim());
  if (!test) {
    ctx.warn(`campaignVariation operand ${JSON.stringify(text)} has an invalid format; it is false`);
    return NEVER;
  }
  return (_properties, env) => test(assignmentsOf(env.platformVariables?.webTestingCampaigns));
}

function parseReference(text: string): ((assignments: Assignments) => boolean) | undefined {
  let m = /^!(\d+)$/.exec(text);
  if (m) {
    const campaign = m[1];
    return (a) => !a.has(campaign);
  }
  m = /^(\d+)_(!?)(\d+)$/.exec(text);
  if (m) {
    const [, campaign, negated, variation] = m;
    return negated ? (a) => a.has(campaign) && a.get(campaign) !== variation : (a) => a.get(campaign) === variation;
  }
  m = /^(\d+)$/.exec(text);
  if (m) {
    const campaign = m[1];
    return (a) => a.has(campaign);
  }
  return undefined;
}

const EMPTY: Assignments = new Map();
let lastJson: string | undefined;
let lastParsed: Assignments = EMPTY;

/** An object or a JSON object string; keys and values stringified, null/undefined values dropped. */
function assignmentsOf(raw: WebTestingCampaigns): Assignments {
  // A JSON string is immutable, so its parse can be reused (several nodes usually read the same user's map).
  if (typeof raw === 'string' && raw === lastJson) return lastParsed;
  let source: unknown = raw;
  if (typeof raw === 'string') {
    try {
      source = JSON.parse(raw);
    } catch {
      source = undefined;
    }
  }
  const parsed = new Map<string, string>();
  if (typeof source === 'object' && source !== null && !Array.isArray(source)) {
    for (const [key, value] of Object.entries(source)) if (value !== null && value !== undefined) parsed.set(key, String(value));
  }
  if (typeof raw === 'string') {
    lastJson = raw;
    lastParsed = parsed;
  }
  return parsed;
}
