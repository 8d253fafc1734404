/**
 * Thrown by compileSettings for a document VWO's Node SDK would reject (docs/settings.md).
 * `path` names the offending field (`campaigns[2].segments`, or `""` for the root); the message says what was
 * found and what was expected.
 */
export class SettingsValidationError extends Error {
  override readonly name = 'SettingsValidationError';
  constructor(
    /** Field path, e.g. `campaigns[2].segments`; empty for the document itself. */
    readonly path: string,
    /** What was expected at that path, e.g. `an object`. */
    readonly expected: string,
    /** Short description of what was found, e.g. `null`, `a string ("100")`, `missing`. */
    readonly received: string,
  ) {
    super(`Invalid VWO settings at ${path || '(root)'}: expected ${expected}, got ${received}`);
  }
}

/** Thrown inside decide() when VWO's Node SDK would throw; decide() turns it into the error flag. */
export class DecisionError extends Error {
  override readonly name = 'DecisionError';
}
