/** Storage records as VWO writes and reads them. */
import type { StoredRecord } from '../types';

/** A storage record with VWO's field order, leaving out undefined fields. */
export function storedRecord(fields: StoredRecord): StoredRecord {
  const out: Record<string, unknown> = {};
  for (const k in fields) if (fields[k] !== undefined) out[k] = fields[k];
  return out as StoredRecord;
}

/** The holdout ids a stored record puts the user in, or undefined for none (VWO counts any non-array truthy value). */
export function storedHoldoutIds(stored: StoredRecord | null): unknown {
  const ids: unknown = stored?.isInHoldoutId ?? stored?.holdoutGroupId;
  return ids && (Array.isArray(ids) ? ids.length > 0 : true) ? ids : undefined;
}
