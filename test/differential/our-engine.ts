/** Our side of the differential test: the pure engine, without storage or over a DifferentialStore (as the official SDK is run). */
import { compileSettings, decide } from '../../lib/engine';
import type { VWOUserContext } from '../../lib/engine/types';
import type { OurDecider } from './differential-runner';

const NOTHING_STORED = (): undefined => undefined;

/**
 * Compiles a copy of the document; each decision gets a copy of the context (neither side may see the other's
 * mutations). With a store, the decision reads the user's records from it and its writes are applied to it,
 * as VWOService does with a storage connector.
 */
export const ourEngine: OurDecider = (doc, store) => {
  const snapshot = compileSettings(structuredClone(doc));
  return (featureKey, context) => {
    const copy = structuredClone(context) as unknown as VWOUserContext;
    if (!store) return decide(snapshot, featureKey, copy, NOTHING_STORED, undefined, { overlayWrites: false });
    const decision = decide(snapshot, featureKey, copy, store.lookupFor(String(context.id)));
    for (const record of decision.writes) store.write(record);
    return decision;
  };
};
