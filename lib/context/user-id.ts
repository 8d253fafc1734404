/** Small readers shared by the default user contexts of each transport. */

/** A user id VWO accepts: a non-empty string or a finite number. */
export function asUserId(value: unknown): string | number | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return undefined;
}

/** The first value of a header as HTTP stacks, socket.io and message brokers give it (string, Buffer or list). */
export function firstHeaderValue(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first || undefined;
  if (first instanceof Uint8Array) return Buffer.from(first).toString('utf8') || undefined;
  return undefined;
}

/** The value at a dot path (`'user.id'`) of a message payload; undefined when any step is missing. */
export function valueAtPath(source: unknown, path: readonly string[]): unknown {
  let value = source;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** `'user.id'` → `['user', 'id']`, split once at startup rather than per message. */
export function splitPath(path: string): readonly string[] {
  return path.split('.');
}

/** `{ id: … }` of an authenticated user object (passport's `request.user`, socket.io's `socket.data.user`). */
export function idOfUser(user: unknown): string | number | undefined {
  return user !== null && typeof user === 'object' ? asUserId((user as { id?: unknown }).id) : undefined;
}
