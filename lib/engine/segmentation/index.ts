export { compileSegment } from './compile-segment';
export { collectFeatureIdRefs, collectInlistRefs, segmentIsEmpty, usesGatewayData } from './dsl-inspection';
export { toSegmentTag } from './operand';
export { compileSafeRegex, MAX_CUBIC_REGEX_INPUT, MAX_REGEX_INPUT, unsafeRegexReason } from './safe-regex';
export type { SafeRegex, SafeRegexResult } from './safe-regex';
export { SegmentationError } from './segmentation.error';
export type { CompiledSegment, SegmentEnv } from './segment-env';
