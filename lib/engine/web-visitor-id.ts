/** A VWO web-testing visitor id: used verbatim, so server flags and web campaigns see one visitor. */
const WEB_UUID = /^[DJ][0-9A-Fa-f]{32}$/;

/** Whether a user id is a VWO web-testing visitor id ("D" or "J" then 32 hex digits). */
export function isWebVisitorId(userId: string): boolean {
  return WEB_UUID.test(userId);
}
