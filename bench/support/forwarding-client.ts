import { request as httpRequest } from 'node:http';
import type { IVWOOptions } from 'vwo-fme-node-sdk';

type NetworkClient = NonNullable<NonNullable<IVWOOptions['network']>['client']>;

/**
 * A `network.client` for VWO's official SDK that forwards its requests to a loopback server the way its own
 * client would (JSON body, no keep-alive), answering the SDK with a 200 once the server has answered.
 */
export function forwardingClient(port: number): NetworkClient {
  const ok = { getData: () => ({}), getStatusCode: () => 200, getError: () => undefined, getTotalAttempts: () => 0, getHeaders: () => ({}) };
  const send = (req: { getOptions(): Record<string, any> }): Promise<typeof ok> =>
    new Promise((resolve, reject) => {
      const o = req.getOptions();
      const body = o.body === undefined ? undefined : JSON.stringify(o.body);
      const r = httpRequest({ host: '127.0.0.1', port, path: o.path, method: o.method, headers: o.headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(ok));
      });
      r.on('error', reject);
      r.end(body);
    });
  return { GET: send, POST: send } as never;
}
