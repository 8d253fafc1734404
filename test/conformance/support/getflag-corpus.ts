/**
 * VWO's conformance corpus (vwo-fme-sdk-e2e-test-settings-n-cases): its settings documents by name and its
 * getFlag cases by group, typed once for the specs that run them.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const corpus = require('vwo-fme-sdk-e2e-test-settings-n-cases') as Record<string, any>;

/** One getFlag case: a user of a settings document asks for a feature, with what VWO's own SDK answers. */
export interface GetFlagCase {
  settings: string;
  description: string;
  context: { id: string; customVariables?: Record<string, unknown> };
  featureKey: string;
  expectation: {
    isEnabled: boolean;
    intVariable?: unknown;
    stringVariable?: unknown;
    floatVariable?: unknown;
    booleanVariable?: unknown;
    jsonVariable?: unknown;
    storageData?: Record<string, unknown>;
  };
}

/** The getFlag cases by group (GETFLAG_WITHOUT_STORAGE, GETFLAG_WITH_STORAGE, ...). */
export const getFlagCases = corpus.GETFLAG_TESTS as Record<string, GetFlagCase[]>;
