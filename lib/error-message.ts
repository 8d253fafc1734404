/** The message of a thrown value, for a log line or a flag's reason (never its stack). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
