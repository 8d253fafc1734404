/**
 * Source of the worker thread behind WorkerThreadTransport, started with `new Worker(source, { eval: true })`.
 * It is plain JavaScript in a string so it runs the same from TS sources (jest, swc-node) and from compiled
 * dist, with no file paths to resolve; so it may only require node built-ins.
 *
 * Protocol. In: `{ id, url, body, headers, timeoutMs }` sends a POST; `{ abort: id }` destroys that request
 * (no reply: the main side has already settled it). Out: `{ id, status }` or `{ id, error: message }`.
 */
export const EVENT_SENDER_WORKER_SOURCE = String.raw`'use strict';
const http = require('node:http');
const https = require('node:https');
const { parentPort, workerData } = require('node:worker_threads');

// Keep-alive: event requests go to one origin, so reusing sockets saves a TCP/TLS handshake per request.
// The module's httpsAgentConfig, when given, replaces these settings.
const MAX_SOCKETS = 32;
const agentOptions = (workerData && workerData.agent) || { keepAlive: true, maxSockets: MAX_SOCKETS };
const clients = {
  'http:': { lib: http, agent: new http.Agent(agentOptions) },
  'https:': { lib: https, agent: new https.Agent(agentOptions) },
};

/** id -> { req, timer } for requests not yet answered. */
const inFlight = new Map();

parentPort.on('message', (msg) => {
  try {
    if (msg && msg.abort !== undefined) abort(msg.abort);
    else send(msg);
  } catch (err) {
    // A bad message (invalid URL or header) must not take the worker and every request in it down.
    if (msg && msg.id !== undefined) fail(msg.id, messageOf(err));
  }
});

function send(msg) {
  const id = msg.id;
  const url = new URL(msg.url);
  const client = clients[url.protocol];
  if (!client) return reply({ id, error: 'unsupported protocol ' + url.protocol });
  const headers = Object.assign({}, msg.headers);
  headers['Content-Length'] = Buffer.byteLength(msg.body);
  // node:http adds no User-Agent and follows no redirects: a 3xx is just a status here.
  const req = client.lib.request(url, { method: 'POST', headers, agent: client.agent });
  const entry = { req, timer: undefined };
  inFlight.set(id, entry);
  if (msg.timeoutMs > 0 && Number.isFinite(msg.timeoutMs)) {
    entry.timer = setTimeout(onTimeout, msg.timeoutMs, id, msg.timeoutMs);
  }
  req.on('response', (res) => onResponse(id, res));
  req.on('error', (err) => finish(id, { id, error: messageOf(err) }));
  req.end(msg.body);
}

function onResponse(id, res) {
  // Only the status counts, but the body must be read to the end for the socket to be reused.
  res.on('error', (err) => finish(id, { id, error: messageOf(err) }));
  res.on('end', () => finish(id, { id, status: res.statusCode }));
  res.on('close', () => {
    if (!res.complete) finish(id, { id, error: 'response closed before its end' });
  });
  res.resume();
}

/** The timeout covers the whole attempt (connect, send, response and its body), like axios' timeout. */
function onTimeout(id, ms) {
  const entry = inFlight.get(id);
  if (!entry) return;
  finish(id, { id, error: 'timed out after ' + ms + ' ms' });
  entry.req.destroy();
}

function abort(id) {
  const entry = inFlight.get(id);
  if (!entry) return;
  inFlight.delete(id);
  clearTimeout(entry.timer);
  entry.req.destroy();
}

/** Replies once per id: later events of the same request (error after destroy, close) are ignored. */
function finish(id, message) {
  const entry = inFlight.get(id);
  if (!entry) return;
  inFlight.delete(id);
  clearTimeout(entry.timer);
  reply(message);
}

/** Replies with an error whether or not the request got as far as being started. */
function fail(id, error) {
  const entry = inFlight.get(id);
  if (!entry) return reply({ id, error });
  finish(id, { id, error });
  entry.req.destroy();
}

function reply(message) {
  parentPort.postMessage(message);
}

function messageOf(err) {
  if (err instanceof Error) return err.message || err.code || err.name;
  return String(err);
}
`;
