import type { FakeResponse, FakeVwoServer } from '../../support/fake-vwo-server';

const SETTINGS_PATH = '/server-side/v2-settings';

/** One way VWO (or the proxy in front of it) can fail. */
export interface VwoFault {
  name: string;
  /** Makes `server` fail; resolves its URL and the function that makes it healthy again (serving `server.settings`). */
  inject(server: FakeVwoServer): Promise<{ url: string; heal: () => Promise<void> }>;
  /** Failed fetches to see after the app listens, before healing (401 backs off slowly: one is enough). */
  failuresWhileDown: number;
}

/** A fault that answers every settings request the same way until healed. */
function answering(name: string, answer: FakeResponse, failuresWhileDown = 2): VwoFault {
  return {
    name,
    failuresWhileDown,
    inject: async (server) => {
      server.on(SETTINGS_PATH, answer);
      return { url: server.url, heal: async () => server.reset() };
    },
  };
}

/** Every fault of the suite. Each run gets its own server, so runs can go in parallel. */
export const VWO_FAULTS: readonly VwoFault[] = [
  {
    name: 'resets connections',
    failuresWhileDown: 2,
    inject: async (server) => {
      server.goDown();
      return { url: server.url, heal: async () => server.comeBack() };
    },
  },
  answering('hangs', { hang: true }),
  answering('answers 500', { status: 500, body: { message: 'Internal Server Error' } }),
  answering('answers 401', { status: 401, body: { message: 'Unauthorized' } }, 1),
  answering('answers HTML', { status: 200, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' }),
  answering('answers truncated JSON', { status: 200, body: '{"version":2,"accountId":123456,"features":[{"key":"new-' }),
  answering('answers JSON of the wrong shape', { status: 200, body: { version: 2, accountId: 123456, campaigns: 'not-an-array' } }),
];
