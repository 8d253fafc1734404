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
  segmentation:
    "changes no decision in VWO's Node SDK (1.35 swaps in its built-in evaluator on every decision, the newest versions never read the option); segments are defined in VWO's dashboard and evaluated here as VWO does",
  edgeConfig:
    'is for edge runtimes, which a Nest app is not; use `shouldWaitForTrackingCalls` to have calls wait for their events, or `flushEvents()` to send the queue',
  network:
    "replaces VWO's HTTP client; here requests to VWO go through the app's HttpService (its axios interceptors apply) or, with `eventTransport: 'workerThread'`, a worker thread; tune sockets with `httpsAgentConfig`",
  _vwo_meta: "only marks VWO's own usage statistics (internal to VWO's SDK)",
};
