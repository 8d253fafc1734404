import { SDK_NAME } from '../vwo.constants';

/** This package's version, read once from its package.json (works from lib/ under ts and from dist/). */
function readVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** `sn` / `sv` of settings requests and the SDK name/version of events. */
export const SDK_META: Readonly<{ name: string; version: string }> = Object.freeze({ name: SDK_NAME, version: readVersion() });
