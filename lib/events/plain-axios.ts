/**
 * Whether an axios instance would add nothing of its own to an event request: no interceptors, the stock
 * adapter and headers, no proxy (configured or from the environment), no option that changes how a request
 * is made. Then HttpServiceTransport sends with Node's HTTP client directly, the same bytes axios would
 * send, without axios' per-request machinery (config merging, header normalisation, the adapter), which
 * costs more CPU than the request itself. Checked on every request (an app may add an interceptor or a
 * default later); the environment's proxy variables at most once a second.
 */

/** axios' default `Accept` header: it is the first header axios writes. */
export const AXIOS_ACCEPT = 'application/json, text/plain, */*';
/** What axios' Node adapter asks for (it decompresses answers; we never read them). */
export const AXIOS_ACCEPT_ENCODING = 'gzip, compress, deflate, br';

/** Defaults that every event request overrides, or that only browsers, forms or response parsing read. */
const IRRELEVANT_DEFAULTS = new Set([
  'transformRequest',
  'transformResponse',
  'timeout',
  'validateStatus',
  'httpAgent',
  'httpsAgent',
  'responseType',
  'maxRedirects',
  'xsrfCookieName',
  'xsrfHeaderName',
  'withXSRFToken',
  'withCredentials',
  'env',
  'formSerializer',
  'fetchOptions',
  'responseEncoding',
]);

/** Defaults that may be present with their stock value only. */
const STOCK_DEFAULTS: Record<string, (value: unknown) => boolean> = {
  adapter: (v) => Array.isArray(v) && v.every((a) => a === 'xhr' || a === 'http' || a === 'fetch'),
  maxContentLength: (v) => v === -1 || v === undefined,
  maxBodyLength: (v) => v === -1 || v === undefined,
  // Only the error's code of a timeout depends on it, and the code is not read.
  transitional: (v) => v === undefined || (typeof v === 'object' && v !== null && !('advertiseZstdAcceptEncoding' in v && (v as Record<string, unknown>).advertiseZstdAcceptEncoding)),
  headers: stockHeaders,
  proxy: (v) => v === undefined || v === false,
  decompress: (v) => v === undefined || typeof v === 'boolean',
};

const METHOD_HEADERS = new Set(['delete', 'get', 'head', 'post', 'put', 'patch', 'options', 'purge', 'link', 'unlink', 'query']);

/** `{ common: { Accept, 'Content-Type': undefined }, get: {}, post: {}, … }`, as axios.create() leaves them. */
function stockHeaders(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (const key of Object.keys(value)) {
    const entry = (value as Record<string, unknown>)[key];
    if (key === 'common') {
      if (!isObject(entry)) return false;
      for (const name of Object.keys(entry)) {
        if (name === 'Accept' ? entry[name] !== AXIOS_ACCEPT : !(name === 'Content-Type' && entry[name] === undefined)) return false;
      }
      if (entry.Accept !== AXIOS_ACCEPT) return false;
    } else if (!METHOD_HEADERS.has(key) || !isObject(entry) || Object.keys(entry).length > 0) {
      return false;
    }
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Environment variables through which axios (proxy-from-env) or Node itself would route a request via a proxy. */
const PROXY_VARIABLES = [
  'http_proxy',
  'HTTP_PROXY',
  'https_proxy',
  'HTTPS_PROXY',
  'all_proxy',
  'ALL_PROXY',
  'npm_config_proxy',
  'npm_config_http_proxy',
  'npm_config_https_proxy',
  'NODE_USE_ENV_PROXY',
];
/** Reading process.env costs a native call per name: the proxy variables are read again at most this often. */
const ENV_RECHECK_MS = 1000;
let envCheckedAt = -Infinity;
let envProxy = false;

function proxyInEnvironment(): boolean {
  const now = Date.now();
  if (now - envCheckedAt >= ENV_RECHECK_MS || now < envCheckedAt) {
    envCheckedAt = now;
    envProxy = PROXY_VARIABLES.some((name) => Boolean(process.env[name]));
  }
  return envProxy;
}

/** Forgets the last reading of the proxy variables (tests that set one). */
export function recheckProxyEnvironment(): void {
  envCheckedAt = -Infinity;
}

interface AxiosLike {
  defaults?: unknown;
  interceptors?: { request?: { handlers?: unknown }; response?: { handlers?: unknown } };
}

function noHandlers(manager: { handlers?: unknown } | undefined): boolean {
  const handlers = manager?.handlers;
  return Array.isArray(handlers) && handlers.every((h) => h === null || h === undefined);
}

export function axiosAddsNothing(axiosRef: unknown): boolean {
  // An axios instance is a function with properties; a stand-in object (tests) is left to its own post().
  if (typeof axiosRef !== 'function') return false;
  const ref = axiosRef as unknown as AxiosLike;
  if (!isObject(ref.defaults)) return false;
  if (!noHandlers(ref.interceptors?.request) || !noHandlers(ref.interceptors?.response)) return false;
  const defaults = ref.defaults;
  for (const key of Object.keys(defaults)) {
    if (IRRELEVANT_DEFAULTS.has(key)) continue;
    const stock = STOCK_DEFAULTS[key];
    if (!stock || !stock(defaults[key])) return false;
  }
  return !proxyInEnvironment();
}
