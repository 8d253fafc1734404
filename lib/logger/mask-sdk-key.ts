/** The SDK key as it may appear in logs: enough to tell keys apart, never enough to use one. */
export function maskSdkKey(sdkKey: string | undefined): string {
  if (!sdkKey) return '<none>';
  if (sdkKey.length <= 8) return '****';
  return `${sdkKey.slice(0, 4)}****${sdkKey.slice(-2)}`;
}

/** Replaces every occurrence of the SDK key in a text (URLs in error messages carry it as `i=`). */
export function redactSdkKey(text: string, sdkKey: string | undefined): string {
  return sdkKey ? text.split(sdkKey).join(maskSdkKey(sdkKey)) : text;
}
