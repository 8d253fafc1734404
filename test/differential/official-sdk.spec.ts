/**
 * The offline harness around VWO's official SDK must be the real SDK deciding (so it reproduces VWO's
 * own corpus), and it must not talk to the network or leave timers behind.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOfficialSdk, recordTimers } from '../../bench/support/official-sdk';

const CORPUS = join(__dirname, '../../node_modules/vwo-fme-sdk-e2e-test-settings-n-cases/src');
const SETTINGS_FILES: Record<string, string> = {
  BASIC_ROLLOUT_SETTINGS: 'OnlyRolloutSettings.json',
  BASIC_ROLLOUT_TESTING_RULE_SETTINGS: 'RolloutAndTestingSettings.json',
  NO_ROLLOUT_ONLY_TESTING_RULE_SETTINGS: 'NoRolloutAndOnlyTestingSettings.json',
  ROLLOUT_TESTING_PRE_SEGMENT_RULE_SETTINGS: 'RolloutAndTestingSettingsWithPreSegment.json',
  TESTING_WHITELISTING_SEGMENT_RULE_SETTINGS: 'SettingsWithWhitelisting.json',
  MEG_CAMPAIGN_RANDOM_ALGO_SETTINGS: 'MegRandomAlgoCampaignSettings.json',
  MEG_CAMPAIGN_ADVANCE_ALGO_SETTINGS: 'MegAdvanceAlgoCampaignSettings.json',
};

interface CorpusCase {
  settings: string;
  description: string;
  context: Record<string, unknown>;
  featureKey: string;
  expectation: {
    isEnabled: boolean;
    intVariable: unknown;
    stringVariable: unknown;
    floatVariable: unknown;
    booleanVariable: unknown;
    jsonVariable: unknown;
  };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

const groups = readJson<Record<string, CorpusCase[]>>(join(CORPUS, 'test-cases/index.json'));
const storageFreeCases = ['GETFLAG_WITHOUT_STORAGE', 'GETFLAG_MEG_RANDOM', 'GETFLAG_MEG_ADVANCE'].flatMap(
  (group) => groups[group].map((c): [string, CorpusCase] => [`${group}: ${c.description}`, c]),
);

function corpusSettings(name: string): Record<string, unknown> {
  return readJson(join(CORPUS, 'settings', SETTINGS_FILES[name]));
}

/**
 * Runs `body` recording the timers it (and only code running meanwhile) arms; returns those still pending after.
 * Counting the process's timers instead would also count other suites' timers that start or end meanwhile.
 */
async function timersLeftBy(body: () => Promise<void>): Promise<NodeJS.Timeout[]> {
  const { armed, restore } = recordTimers();
  try {
    await body();
  } finally {
    restore();
  }
  return armed.filter((t) => !(t as unknown as { _destroyed: boolean })._destroyed);
}

describe('official SDK offline harness', () => {
  it.each(storageFreeCases)('reproduces the corpus: %s', async (_name, testCase) => {
    const sdk = await createOfficialSdk(corpusSettings(testCase.settings));
    const flag = await sdk.getFlag(testCase.featureKey, testCase.context);
    const e = testCase.expectation;
    expect({
      isEnabled: flag.isEnabled(),
      int: flag.getVariable('int', 1),
      string: flag.getVariable('string', 'VWO'),
      float: flag.getVariable('float', 1.1),
      boolean: flag.getVariable('boolean', false),
      json: flag.getVariable('json', {}),
    }).toEqual({
      isEnabled: e.isEnabled,
      int: e.intVariable,
      string: e.stringVariable,
      float: e.floatVariable,
      boolean: e.booleanVariable,
      json: e.jsonVariable,
    });
  });

  it('sends nothing over the network and leaves no timer running', async () => {
    const httpRequest = jest.spyOn(http, 'request');
    const httpsRequest = jest.spyOn(https, 'request');
    try {
      let sdk!: Awaited<ReturnType<typeof createOfficialSdk>>;
      let result!: Awaited<ReturnType<typeof sdk.getFlagWithDecision>>;
      const left = await timersLeftBy(async () => {
        sdk = await createOfficialSdk(corpusSettings('BASIC_ROLLOUT_TESTING_RULE_SETTINGS'), {});
        result = await sdk.getFlagWithDecision('feature1', { id: 'user_id', customVariables: { price: 200 } });
        await new Promise((resolve) => setImmediate(resolve));
      });

      expect(result.flag.isEnabled()).toBe(true);
      // The impressions reached the in-process stub, and only the stub.
      expect(sdk.requests.map((r) => r.eventName)).toContain('vwo_variationShown');
      expect(httpRequest).not.toHaveBeenCalled();
      expect(httpsRequest).not.toHaveBeenCalled();
      // Every timer the harness and the SDK armed (its polling) has been cleared or has run.
      expect(left).toEqual([]);
    } finally {
      httpRequest.mockRestore();
      httpsRequest.mockRestore();
    }
  });

  it('reports the served campaign and variation of each decision', async () => {
    const sdk = await createOfficialSdk(corpusSettings('BASIC_ROLLOUT_TESTING_RULE_SETTINGS'));
    const result = await sdk.getFlagWithDecision('feature1', { id: 'user_id', customVariables: { price: 200 } });
    const integration = result.integration ?? {};
    const settings = corpusSettings('BASIC_ROLLOUT_TESTING_RULE_SETTINGS') as {
      campaigns: { id: number; variations: { id: number; variables: { key: string; value: unknown }[] }[] }[];
    };
    const experiment = settings.campaigns.find((c) => c.id === integration.experimentId);
    const variation = experiment?.variations.find((v) => v.id === result.variationId);

    expect(integration.featureKey).toBe('feature1');
    expect(integration.experimentVariationId).toBe(result.variationId);
    expect(variation?.variables.find((v) => v.key === 'string')?.value).toBe(result.flag.getVariable('string'));
  });
});
