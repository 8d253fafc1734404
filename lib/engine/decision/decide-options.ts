import type { GatewayUserData } from '../types';

/** Inputs of a decision that VWO's SDK would fetch over the network; the caller resolves them beforehand. */
export interface DecideOptions {
  /** Location / parsed user agent to use when the context has no `_vwo` (VWO's gateway `/get-user-details`). */
  gateway?: GatewayUserData;
  /** Answers `inlist(<listId>)` checks (VWO's gateway `/check-attribute`); absent ⇒ every inlist check fails. */
  inList?: (listId: string, attribute: string) => boolean;
  /**
   * Let this call's own storage writes be read back later in the same call, as with a synchronous connector
   * (default true). Pass false when no storage is configured: VWO then reads nothing back.
   */
  overlayWrites?: boolean;
  /**
   * Build the integration callback's payload (default true). Pass false when there is no callback: the
   * decision is the same, without the payload's allocations.
   */
  integrationPayload?: boolean;
}
