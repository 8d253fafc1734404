import { createServer, type AddressInfo, type Server } from 'node:net';

/**
 * A loopback TCP server that resets every connection it accepts: a VWO (or any host) that is down. It keeps
 * its port (0, chosen by the OS) for as long as the test runs, unlike a port that is found free and then
 * released, which another process may take before the test connects to it.
 */
export class ResettingServer {
  private server?: Server;
  /** Connections reset so far. */
  resets = 0;

  static async start(): Promise<ResettingServer> {
    const down = new ResettingServer();
    const server = createServer((socket) => {
      down.resets++;
      socket.resetAndDestroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    down.server = server;
    return down;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
