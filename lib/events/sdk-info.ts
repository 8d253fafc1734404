import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VWOSdkMetaOptions } from '../options/vwo-module-options.interface';

/** How the SDK names itself on the wire (`sn`/`sv`, `vwo_sdkName`/`vwo_sdkVersion`). */
export interface SdkInfo {
  readonly name: string;
  readonly version: string;
}

/**
 * Reads our package.json: two levels up from lib/events (dev) and from dist/events (packed build).
 * Falls back to a fixed name so a missing file never breaks event sending.
 */
export function readSdkInfo(fromDir: string = __dirname): SdkInfo {
  const file = join(fromDir, '..', '..', 'package.json');
  try {
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'nestjs-vwo' && typeof pkg.version === 'string') return { name: pkg.name, version: pkg.version };
    }
  } catch {
    // unreadable package.json: fall through to the fallback
  }
  return { name: 'nestjs-vwo', version: '0.0.0' };
}

export const SDK_INFO: SdkInfo = readSdkInfo();

/** The name/version to send: `sdkMeta`'s overrides over `base` (this package's). */
export function sdkInfoFor(meta: VWOSdkMetaOptions | undefined, base: SdkInfo = SDK_INFO): SdkInfo {
  if (!meta) return base;
  return {
    name: meta._vwo_sdkName ?? meta._wingify_sdkName ?? base.name,
    version: meta._vwo_sdkVersion ?? meta._wingify_sdkVersion ?? base.version,
  };
}
