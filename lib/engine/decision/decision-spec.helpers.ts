/**
 * Shared setup of the decide() specs of this folder (decide, holdouts, whitelisting, stored-decision, groups): the
 * conformance harness and fixtures of test/, VWO's settings corpus, and small helpers. Not a spec and not published
 * (tsconfig.build.json leaves out *spec.helpers.ts); the one lib file allowed to import test/ for these specs.
 */
import * as fixtures from '../../../test/conformance/support/engine-fixtures';
import { MapStorage, getFlag, loadEngine } from '../../../test/conformance/support/engine-harness';
import type { StoredRecord, VWOUserContext } from '../types';

export { fixtures, MapStorage, getFlag };

export const engine = loadEngine();
export const { compileSettings, decide, bucketValue } = engine;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const corpus = require('vwo-fme-sdk-e2e-test-settings-n-cases') as Record<string, any>;

export const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
export const none = (): undefined => undefined;
export const run = (doc: unknown, featureKey: string, ctx: VWOUserContext, stored: (k: string) => StoredRecord | undefined = none) =>
  decide(compileSettings(doc), featureKey, ctx, stored);
export const str = (d: { variables: readonly { key: string; value: unknown }[] }): unknown => d.variables.find((v) => v.key === 'string')?.value;
