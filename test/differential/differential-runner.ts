/**
 * Generates settings documents and contexts from a seed, asks both our engine and VWO's official SDK
 * for every decision, and collects the differences. Each document has its own seed (printed with any
 * mismatch), so one failing document can be replayed alone with `documents: 1, seed: <docSeed>`.
 */
import { getUUID } from 'vwo-fme-node-sdk';
import { Flag } from '../../lib/engine';
import type { Decision } from '../../lib/engine/types';
import { createOfficialSdk } from '../../bench/support/official-sdk';
import { Prng } from '../../bench/support/prng';
import {
  randomContext,
  randomSettings,
  RandomSettings,
  RandomSettingsProfile,
} from '../../bench/support/random-settings';
import type { SettingsDoc } from '../../bench/support/settings-document';
import { ComparableDecision, fromOfficial, fromOurs, sameDecision } from './comparable-decision';
import { DifferentialStore, NO_STORAGE, storedRecordsFor } from './differential-store';

/** Our side: compile a document once, then decide for (featureKey, context), reading and writing `store` if given. */
export type OurDecider = (
  doc: SettingsDoc,
  store?: DifferentialStore,
) => (featureKey: string, context: Record<string, unknown>) => Decision;

/** Users who come back within one document's calls when running with storage (their earlier decisions are stored). */
const RETURNING_USERS = 12;

export interface DifferentialOptions {
  /** Seed of the first document; document n uses seed + n. */
  seed: number;
  documents: number;
  decisionsPerDocument: number;
  profile: RandomSettingsProfile;
  ours: OurDecider;
  /** Share of calls made with a feature key the document does not have. */
  unknownFeatureShare?: number;
  /**
   * Run both sides over sticky-decision storage: most calls come from a few returning users, who start with
   * seeded records (stored rollouts, experiments, group winners) and then keep what each side writes.
   */
  withStorage?: boolean;
}

export interface Mismatch {
  docSeed: number;
  call: number;
  featureKey: string;
  context: Record<string, unknown>;
  ours: ComparableDecision;
  ourReason: string;
  official: ComparableDecision;
}

export interface DifferentialReport {
  decisions: number;
  mismatches: Mismatch[];
  /** Our decision reasons, counted (shows what the run covered). */
  reasons: Record<string, number>;
  officialEnabled: number;
  officialExperiments: number;
  /** Official decisions served by a whitelist entry matching the context. */
  officialWhitelisted: number;
  /** Official decisions served by a campaign that belongs to a mutually exclusive group. */
  officialGroupServed: number;
  /** Impressions the official SDK sent. */
  officialImpressions: number;
  /** Storage writes the official SDK made. */
  officialWrites: number;
  /** Our decisions served from a stored record (STORED_ROLLOUT / STORED_EXPERIMENT). */
  storedServed: number;
}

const MAX_REPORTED = 5;

export async function runDifferential(options: DifferentialOptions): Promise<DifferentialReport> {
  const report: DifferentialReport = {
    decisions: 0,
    mismatches: [],
    reasons: {},
    officialEnabled: 0,
    officialExperiments: 0,
    officialWhitelisted: 0,
    officialGroupServed: 0,
    officialImpressions: 0,
    officialWrites: 0,
    storedServed: 0,
  };
  for (let n = 0; n < options.documents; n++) {
    await compareDocument(options.seed + n, options, report);
  }
  return report;
}

async function compareDocument(docSeed: number, options: DifferentialOptions, report: DifferentialReport): Promise<void> {
  const rng = new Prng(docSeed);
  const generated = randomSettings(rng, getUUID, options.profile);
  let theirStore: DifferentialStore | undefined;
  let ourStore: DifferentialStore | undefined;
  const returning = Array.from({ length: RETURNING_USERS }, (_, i) => `returning_${i}`);
  if (options.withStorage) {
    theirStore = new DifferentialStore();
    ourStore = new DifferentialStore();
    for (const stored of storedRecordsFor(rng, generated.doc, returning)) {
      theirStore.seed(stored);
      ourStore.seed(stored);
    }
  }
  const storage = theirStore?.asConnector() ?? NO_STORAGE;
  const official = await createOfficialSdk(generated.doc, { skipPerCallValidation: true, storage });
  theirStore?.takeWrites(); // anything the SDK stored while starting is not a decision's
  const ours = options.ours(generated.doc, ourStore);
  for (let call = 0; call < options.decisionsPerDocument; call++) {
    const featureKey = rng.chance(options.unknownFeatureShare ?? 0.02) ? 'no_such_feature' : rng.pick(generated.featureKeys);
    const context = randomContext(rng, generated);
    if (options.withStorage && rng.chance(0.7)) context.id = rng.pick(returning);
    const ourDecision = ours(featureKey, context);
    const mine = fromOurs(new Flag(ourDecision), options.withStorage);
    const theirs = fromOfficial(await official.getFlagWithDecision(featureKey, context), theirStore?.takeWrites());
    record(report, ourDecision, theirs);
    recordCoverage(report, generated, context, theirs);
    if (!sameDecision(mine, theirs, ourDecision.reason)) {
      report.mismatches.push({ docSeed, call, featureKey, context, ours: mine, ourReason: ourDecision.reason, official: theirs });
    }
  }
}

function record(report: DifferentialReport, ours: Decision, official: ComparableDecision): void {
  report.decisions++;
  report.reasons[ours.reason] = (report.reasons[ours.reason] ?? 0) + 1;
  if (official.enabled) report.officialEnabled++;
  if (official.served?.experimentId !== undefined) report.officialExperiments++;
  report.officialImpressions += official.impressions.length;
  report.officialWrites += official.writes.length;
  if (ours.reason === 'STORED_ROLLOUT' || ours.reason === 'STORED_EXPERIMENT') report.storedServed++;
}

/** What the official side served, classified from the generated document (independent of our engine). */
function recordCoverage(
  report: DifferentialReport,
  generated: RandomSettings,
  context: Record<string, unknown>,
  official: ComparableDecision,
): void {
  const experimentId = official.served?.experimentId;
  if (experimentId === undefined) return;
  const tier = (context.variationTargetingVariables as Record<string, unknown> | undefined)?.tier;
  const whitelisted = generated.whitelists.some(
    (w) =>
      w.campaignId === experimentId &&
      w.variationId === official.served?.variationId &&
      (w.userIds.includes(String(context.id)) || w.tier === tier),
  );
  if (whitelisted) report.officialWhitelisted++;
  const groupRefs = Object.keys(generated.doc.campaignGroups ?? {});
  if (groupRefs.some((ref) => ref.split('_')[0] === String(experimentId))) report.officialGroupServed++;
}

/** '' when there is no mismatch; else the first few, with what it takes to reproduce them. */
export function formatMismatches(report: DifferentialReport, profileSeed: number): string {
  if (report.mismatches.length === 0) return '';
  const shown = report.mismatches.slice(0, MAX_REPORTED).map((m) =>
    [
      `docSeed=${m.docSeed} call=${m.call} feature=${m.featureKey} ourReason=${m.ourReason}`,
      `  context:  ${JSON.stringify(m.context)}`,
      `  ours:     ${JSON.stringify(m.ours)}`,
      `  official: ${JSON.stringify(m.official)}`,
    ].join('\n'),
  );
  return [
    `${report.mismatches.length} of ${report.decisions} decisions differ (seed ${profileSeed}; replay one document with seed=<docSeed>, documents=1)`,
    `our reasons over the run: ${JSON.stringify(report.reasons)}`,
    ...shown,
  ].join('\n');
}
