import { v5 as uuidv5 } from 'uuid';

/** Seed URL of VWO's UUID namespace (spec/decision.md §3.4). */
const SEED_URL = 'https://vwo.com';

let vwoNamespace: string | undefined;
const accountNamespaces = new Map<string, string>();
const MAX_CACHED_ACCOUNTS = 64;

function accountNamespace(accountId: string): string {
  let ns = accountNamespaces.get(accountId);
  if (ns === undefined) {
    vwoNamespace ??= uuidv5(SEED_URL, uuidv5.URL);
    ns = uuidv5(accountId, vwoNamespace);
    if (accountNamespaces.size >= MAX_CACHED_ACCOUNTS) accountNamespaces.clear();
    accountNamespaces.set(accountId, ns);
  }
  return ns;
}

/**
 * VWO's user UUID (§3.4): `uuidv5(userId, uuidv5(accountId, uuidv5("https://vwo.com", URL)))`, without dashes,
 * upper-case. Used as `_vwoUserId`/`_wingifyUserId` when a campaign has `isUserListEnabled`, and as the visitor id.
 * Returns undefined for an empty user id or account id (as Node's `generateUUID` does).
 */
export function getUUID(userId: string | number, accountId: string | number): string {
  const user = String(userId);
  const account = String(accountId);
  if (!user || !account) return undefined as unknown as string;
  return uuidv5(user, accountNamespace(account)).replace(/-/g, '').toUpperCase();
}
