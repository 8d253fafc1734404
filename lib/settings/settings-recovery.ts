/**
 * How soon a failed settings fetch is tried again: `retryBaseMs`, doubling with each consecutive failure,
 * capped at the poll interval; the first success goes back to the normal interval. Internal: tests provide
 * a short base under VWO_SETTINGS_RECOVERY.
 */
export interface SettingsRecoveryTuning {
  retryBaseMs: number;
}

export const VWO_SETTINGS_RECOVERY = Symbol('VWO_SETTINGS_RECOVERY');

/** 401/403 wait this many times longer: a wrong key or account is not fixed in seconds, and VWO should not be hammered. */
export const AUTH_BACKOFF_FACTOR = 12;

export const DEFAULT_SETTINGS_RECOVERY: Readonly<SettingsRecoveryTuning> = Object.freeze({ retryBaseMs: 5_000 });

/** Delay before the next attempt after `failures` consecutive failed fetches (1, 2, …): 5 s, 10 s, 20 s … ≤ capMs. */
export function recoveryDelayMs(failures: number, tuning: SettingsRecoveryTuning, capMs: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(tuning.retryBaseMs * 2 ** exponent, capMs);
}
