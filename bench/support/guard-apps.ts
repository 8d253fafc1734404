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

/** One measured route: which app serves it, and the path. */
export interface GuardCase {
  name: string;
  app: AppKind;
  path: string;
  /** The official SDK's guard: much slower per request, so benches size its runs apart. */
  official?: true;
}

export const PLAIN = 'plain';

/**
 * The cases both guard benches measure, in warm-up order. GUARD_BENCH_DETAIL=1 splits 'guarded, no ALS'
 * in two: the engine behind a minimal guard, and our guard over a constant flag.
 */
export function guardCases(withOfficial = true): GuardCase[] {
  return [
    { name: PLAIN, app: 'noals', path: '/plain' },
    { name: 'noop guard', app: 'noals', path: '/noop-guard' },
    { name: 'guarded', app: 'als', path: '/feature' },
    { name: 'guarded, no ALS', app: 'noals', path: '/feature' },
    ...(withOfficial ? [{ name: 'official', app: 'noals' as const, path: '/official', official: true as const }] : []),
    // After 'guarded' in the warm-up, so ALS is already on in that app when it is measured.
    { name: 'plain, ALS on', app: 'als', path: '/plain' },
    ...(process.env.GUARD_BENCH_DETAIL === '1'
      ? [
          { name: 'getFlag guard', app: 'noals' as const, path: '/direct' },
          { name: 'guard, constant flag', app: 'noals' as const, path: '/constant' },
        ]
      : []),
  ];
}
