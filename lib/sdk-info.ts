import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SDK_NAME } from './vwo.constants';

/** How the SDK names itself on the wire (`sn`/`sv`, `vwo_sdkName`/`vwo_sdkVersion`) and to OpenTelemetry. */
export interface SdkInfo {
  readonly name: string;
  readonly version: string;
}

/**
 * The SDK name and version sent to VWO (settings query `sn`/`sv`, events' `vwo_sdkName`/`vwo_sdkVersion`),
 * e.g. for a wrapper library. `_wingify_*` are VWO's older spellings; `_vwo_*` win when both are given.
 */
export interface VWOSdkMetaOptions {
  _vwo_sdkName?: string;
  _vwo_sdkVersion?: string;
  _wingify_sdkName?: string;
  _wingify_sdkVersion?: string;
}

/**
 * Reads our package.json, one level up from lib/ (dev) and from dist/ (packed build). Falls back to a fixed
 * version so a missing file never breaks settings requests or event sending.
 */
export function readSdkInfo(fromDir: string = __dirname): SdkInfo {
  const file = join(fromDir, '..', 'package.json');
  try {
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === SDK_NAME && typeof pkg.version === 'string') return { name: SDK_NAME, version: pkg.version };
    }
  } catch {
    // unreadable package.json: fall through to the fallback
  }
  return { name: SDK_NAME, version: '0.0.0' };
}

/** This package's name and version, read once. */
export const SDK_INFO: SdkInfo = readSdkInfo();

/** The name/version to send: `sdkMeta`'s overrides over this package's. */
export function sdkInfoFor(meta: VWOSdkMetaOptions | undefined, base: SdkInfo = SDK_INFO): SdkInfo {
  if (!meta) return base;
  return {
    name: meta._vwo_sdkName ?? meta._wingify_sdkName ?? base.name,
    version: meta._vwo_sdkVersion ?? meta._wingify_sdkVersion ?? base.version,
  };
}
