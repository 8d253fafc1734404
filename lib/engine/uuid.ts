import * as crypto from 'node:crypto';
import { parse as parseUuid, v5 as uuidv5 } from 'uuid';
import { isWellFormed } from './user-id';

/** Seed URL of VWO's UUID namespace (docs/bucketing.md). */
const SEED_URL = 'https://vwo.com';
const MAX_CACHED_ACCOUNTS = 64;
/** Names up to this many UTF-16 units (≤ 3 UTF-8 bytes each) are hashed in a reused buffer. */
const SCRATCH_NAME_CHARS = 512;

type Sha1Hex = (data: Uint8Array) => string;

/** One-shot `crypto.hash` (Node ≥ 20.12) skips a Hash object per call; createHash otherwise. */
const sha1Hex: Sha1Hex =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha1', data, 'hex')
    : (data) => crypto.createHash('sha1').update(data).digest('hex');

let vwoNamespace: string | undefined;
/** Account id → its namespace's 16 bytes, written at the head of `scratch` before hashing. */
const accountNamespaces = new Map<string, Buffer>();
const scratch = Buffer.allocUnsafe(16 + 3 * SCRATCH_NAME_CHARS);

function accountNamespace(accountId: string): Buffer {
  let ns = accountNamespaces.get(accountId);
  if (ns === undefined) {
    vwoNamespace ??= uuidv5(SEED_URL, uuidv5.URL);
    ns = Buffer.from(parseUuid(uuidv5(accountId, vwoNamespace)));
    if (accountNamespaces.size >= MAX_CACHED_ACCOUNTS) accountNamespaces.clear();
    accountNamespaces.set(accountId, ns);
  }
  return ns;
}

/**
 * UUIDv5 (RFC 4122 §4.3) of `name` in namespace `ns`, as 32 upper-case hex digits: SHA-1 over namespace
 * bytes + UTF-8 name, first 16 bytes, version nibble 5, variant bits 10.
 */
function uuidV5Hex(name: string, ns: Buffer): string {
  let data: Buffer;
  if (name.length <= SCRATCH_NAME_CHARS) {
    ns.copy(scratch, 0);
    data = scratch.subarray(0, 16 + scratch.write(name, 16, 'utf8'));
  } else {
    data = Buffer.concat([ns, Buffer.from(name, 'utf8')]);
  }
  const hex = sha1Hex(data);
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 12)}5${hex.slice(13, 16)}${variant}${hex.slice(17, 32)}`.toUpperCase();
}


/**
 * VWO's user UUID (docs/bucketing.md): `uuidv5(userId, uuidv5(accountId, uuidv5("https://vwo.com", URL)))`, without dashes,
 * upper-case. Used as `_vwoUserId`/`_wingifyUserId` when a campaign has `isUserListEnabled`, and as the visitor id.
 * Returns undefined for an empty user id or account id (as Node's `generateUUID` does).
 */
export function getUUID(userId: string | number, accountId: string | number): string {
  const user = String(userId);
  const account = String(accountId);
  if (!user || !account) return undefined as unknown as string;
  const ns = accountNamespace(account);
  // A lone surrogate has no UTF-8 form: same failure as VWO's SDK (the uuid package throws URIError).
  if (!isWellFormed(user)) return uuidv5(user, ns).replace(/-/g, '').toUpperCase();
  return uuidV5Hex(user, ns);
}
