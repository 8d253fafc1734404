/** Our side of the differential test: the pure engine, with no storage (as the official SDK is run). */
import { compileSettings, decide } from '../../lib/engine';
import type { VWOUserContext } from '../../lib/engine/types';
import type { OurDecider } from './differential-runner';

const NOTHING_STORED = (): undefined => undefined;

/** Compiles a copy of the document; each decision gets a copy of the context (neither side may see the other's mutations). */
export const ourEngine: OurDecider = (doc) => {
  const snapshot = compileSettings(structuredClone(doc));
  return (featureKey, context) =>
    decide(snapshot, featureKey, structuredClone(context) as unknown as VWOUserContext, NOTHING_STORED, undefined, {
      overlayWrites: false,
    });
};
