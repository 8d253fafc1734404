/**
 * What the fault suite's child scripts share: the test account pointed at the parent's fake VWO, and the
 * stdout lines their loggers print for the parent to wait on.
 */

/** The test account's keys and the parent's fake VWO (VWO_FAKE_URL) as its host. */
export function fakeVwoAccount(): { sdkKey: string; accountId: number; proxyUrl: string | undefined } {
  return { sdkKey: 'test-sdk-key-0123456789abcdef', accountId: 123456, proxyUrl: process.env.VWO_FAKE_URL };
}

/** A logger method that prints each message as one stdout line `VWO <LEVEL> <message>`. */
export function printedAs(level: string): (message: string) => void {
  return (message) => {
    process.stdout.write(`VWO ${level} ${message.replace(/\n/g, ' ')}\n`);
  };
}
