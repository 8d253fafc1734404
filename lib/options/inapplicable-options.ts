/**
 * Options of VWO's official SDK that have no meaning in a Nest app, and why: refused by name so a migrating
 * team learns what to do instead of reading a generic "unknown option".
 */
export const INAPPLICABLE_OPTIONS: Readonly<Record<string, string>> = {
  clientStorage:
    "is browser-only in VWO's SDK (it keeps decisions in the browser's localStorage/cookies) and does not apply on a server; use `storage` for sticky decisions",
  browserConfig: "is browser-only in VWO's SDK and does not apply on a server",
  vwoBuilder: "is an internal test hook of VWO's SDK; use VWOTestingModule to stub flags in tests",
  wingifyBuilder: "is an internal test hook of VWO's SDK; use VWOTestingModule to stub flags in tests",
};
