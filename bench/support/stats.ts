/** Order statistics shared by the benchmarks. Inputs are not mutated. */

/** Nearest-rank percentile (p in [0, 100]) of unsorted samples; NaN when empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Median of one field across several runs. */
export function medianOf<T>(runs: readonly T[], field: (run: T) => number): number {
  return median(runs.map(field));
}
