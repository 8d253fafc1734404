/** Thrown at boot when VWOModule options are invalid; the message lists every problem and its fix. */
export class VWOOptionsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid VWOModule options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'VWOOptionsError';
  }
}
