/** True for an object with callable debug/info/warn/error: a logger instance rather than logger options. */
export function isLoggerLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((method) => typeof candidate[method] === 'function');
}
