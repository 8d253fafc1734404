import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileSegment, segmentIsEmpty, SegmentEnv } from '../../lib/engine/segmentation';
import type { EngineLogger } from '../../lib/engine/types';

/** VWO's conformance corpus for the segmentation evaluator: every case runs as its own test. */
interface CorpusCase {
  dsl: unknown;
  expectation: boolean;
  customVariables?: Record<string, unknown>;
}

// Resolved as a package, not by a path into ./node_modules: the mutation check runs the suite from a sandbox.
const CORPUS_FILE = join(
  dirname(require.resolve('vwo-fme-sdk-e2e-test-settings-n-cases/package.json')),
  'src/segmentation-evaluator/index.json',
);
const corpus = JSON.parse(readFileSync(CORPUS_FILE, 'utf8')) as Record<string, Record<string, CorpusCase>>;
const groups = Object.entries(corpus);

/** Pre-segmentation semantics: `{}` passes without evaluation, anything else goes through the evaluator. */
function evaluate(testCase: CorpusCase, logger: EngineLogger): boolean {
  if (segmentIsEmpty(testCase.dsl)) return true;
  const properties = testCase.customVariables ?? {};
  const env: SegmentEnv = { userId: String(properties._vwoUserId ?? 'corpus-user') };
  return compileSegment(testCase.dsl, logger)(properties, env);
}

describe('segmentation corpus (vwo-fme-sdk-e2e-test-settings-n-cases)', () => {
  it('has the 23 groups and 334 cases this suite was written against', () => {
    expect(groups).toHaveLength(23);
    expect(groups.reduce((sum, [, cases]) => sum + Object.keys(cases).length, 0)).toBe(334);
  });

  describe.each(groups)('%s', (_group, cases) => {
    it.each(Object.entries(cases))('%s', (_name, testCase) => {
      const logger = { warn: jest.fn() };
      expect(evaluate(testCase, logger)).toBe(testCase.expectation);
    });
  });
});
