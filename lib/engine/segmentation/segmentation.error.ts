/** Thrown during evaluation wherever VWO's Node SDK throws (docs/decisions.md); getFlag turns it into the error flag. */
export class SegmentationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SegmentationError';
  }
}
