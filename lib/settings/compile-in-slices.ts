import { compileSettingsSteps, type CompileOptions, type SettingsSnapshot } from '../engine';

/** Longest stretch a settings compile keeps the event loop before letting requests run. */
export const COMPILE_SLICE_MS = 8;

/**
 * Compiles a settings document a slice at a time, yielding to the event loop between slices, so that applying
 * a large document never stalls the requests being served. The snapshot in use is untouched until this resolves.
 */
export async function compileInSlices(raw: unknown, options: CompileOptions = {}, sliceMs = COMPILE_SLICE_MS): Promise<SettingsSnapshot> {
  const steps = compileSettingsSteps(raw, options);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}
