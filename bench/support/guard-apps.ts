/**
 * What guard.bench.ts's server processes are, shared with guard-instructions.bench.ts, which runs the
 * same servers under callgrind.
 */
export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];
/** `als`: default options; `noals`: propagateContext false, so AsyncLocalStorage never runs there. */
export type AppKind = 'als' | 'noals';
export const APP_KINDS: readonly AppKind[] = ['als', 'noals'];
/** Users rotate over this many ids, sent in USER_HEADER. */
export const USERS = 10_000;
export const USER_HEADER = 'x-vwo-user-id';
/** Set in a server process: `<express|fastify>:<als|noals>`. */
export const CHILD_ENV = 'GUARD_BENCH_CHILD';
