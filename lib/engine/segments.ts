/**
 * The engine's only door to the segmentation evaluator (lib/engine/segmentation): compiles each DSL once at
 * snapshot time and records the shape facts the decision flow needs (VWO checks "is it a plain object with no
 * keys" before ever calling the evaluator, and the three call sites treat edge shapes differently).
 */
import type { EngineLogger } from './types';
import { collectFeatureIdRefs, collectInlistRefs, compileSegment } from './segmentation';
import type { CompiledSegment, SegmentEnv } from './segmentation';

export type { CompiledSegment, SegmentEnv };

export interface Segment {
  /** The DSL as found in settings (never mutated). */
  readonly dsl: unknown;
  /** `Object.prototype.toString` says `[object Object]` (VWO's `isObject`: arrays are not objects). */
  readonly isPlainObject: boolean;
  /** A plain object with no own keys: "no segmentation". */
  readonly isEmptyPlainObject: boolean;
  /** Truthy and has at least one own key (the holdout test). */
  readonly hasKeys: boolean;
  /** Evaluates the DSL; throws where VWO's SDK throws (decide() turns that into the error flag). */
  readonly evaluate: CompiledSegment;
}

const toStr = Object.prototype.toString;

/** Compiles DSLs once per snapshot; the same DSL object (shared by linked rule copies) compiles once. */
export class SegmentCompiler {
  private readonly cache = new Map<unknown, Segment>();
  constructor(private readonly logger?: EngineLogger) {}

  compile(dsl: unknown): Segment {
    const cacheable = typeof dsl === 'object' && dsl !== null;
    if (cacheable) {
      const hit = this.cache.get(dsl);
      if (hit) return hit;
    }
    const isPlainObject = toStr.call(dsl) === '[object Object]';
    const keyCount = dsl ? Object.keys(dsl as object).length : 0;
    const isEmptyPlainObject = isPlainObject && keyCount === 0;
    let evaluate: CompiledSegment;
    if (isEmptyPlainObject) {
      evaluate = EMPTY_DSL;
    } else {
      try {
        evaluate = compileSegment(dsl, this.logger);
      } catch (err) {
        // VWO throws when it evaluates such a DSL, not when it loads it: defer the throw to evaluation.
        evaluate = () => {
          throw err;
        };
      }
    }
    const seg: Segment = Object.freeze({ dsl, isPlainObject, isEmptyPlainObject, hasKeys: keyCount > 0, evaluate });
    if (cacheable) this.cache.set(dsl, seg);
    return seg;
  }
}

/** Never called by the engine (empty DSLs pass or are skipped before evaluation); defined for completeness. */
const EMPTY_DSL: CompiledSegment = () => false;

/** Feature ids named by `featureId` nodes anywhere in the DSL (for SettingsSnapshot.storageKeys). */
export function featureIdRefs(dsl: unknown): number[] {
  if (typeof dsl !== 'object' || dsl === null) return [];
  try {
    return collectFeatureIdRefs(dsl);
  } catch {
    return [];
  }
}

/** `inlist` checks anywhere in the DSL (for SettingsSnapshot.inlistRefs). */
export function inlistRefs(dsl: unknown): Array<{ variable: string; listId: string }> {
  if (typeof dsl !== 'object' || dsl === null) return [];
  try {
    return collectInlistRefs(dsl);
  } catch {
    return [];
  }
}
