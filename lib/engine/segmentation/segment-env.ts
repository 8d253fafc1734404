import type { EngineLogger, GatewayUserData, VWOUserContext } from '../types';

/** Everything about the user a segment may look at besides the properties map. */
export interface SegmentEnv {
  userId: string;
  userAgent?: string;
  ipAddress?: string;
  /** `_vwo` data: location and parsed user agent. */
  gateway?: GatewayUserData;
  platformVariables?: VWOUserContext['platformVariables'];
  /** 'on' = a non-empty stored record exists for that feature; 'unknown' = no such feature in settings. */
  featureIdState?: (featureId: number) => 'on' | 'off' | 'unknown';
  /** Pre-resolved gateway /check-attribute answers; absent ⇒ false. */
  inList?: (listId: string, attribute: string) => boolean;
  logger?: EngineLogger;
}

/** A DSL compiled once, evaluated per decision. Throws SegmentationError where the Node SDK throws. */
export type CompiledSegment = (properties: Record<string, unknown> | undefined, env: SegmentEnv) => boolean;

/** An internal compiled node (same signature; the top level adds the campaignVariation gate and error wrapping). */
export type SegmentNode = CompiledSegment;

/** Compile-time context: where warnings about the DSL go. */
export interface CompileContext {
  warn(message: string): void;
}
