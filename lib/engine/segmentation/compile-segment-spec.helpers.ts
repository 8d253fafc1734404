/**
 * Shared setup of the compileSegment() specs of this folder (compile-segment, compile-segment-env). Not a spec and not
 * published (tsconfig.build.json leaves out *spec.helpers.ts).
 */
import { compileSegment, SegmentEnv } from './index';

export const BASE_ENV: SegmentEnv = { userId: 'u1' };

export function run(dsl: unknown, properties?: Record<string, unknown>, env: Partial<SegmentEnv> = {}): boolean {
  return compileSegment(dsl, { warn: () => undefined })(properties, { ...BASE_ENV, ...env });
}

export const cv = (name: string, operand: unknown): unknown => ({ custom_variable: { [name]: operand } });
export const matches = (operand: unknown, value: unknown): boolean => run(cv('v', operand), { v: value });
