import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder on 127.0.0.1 to a target port, to take a dependency "down" or make it "slow" without
 * touching the real server: stop() closes the port and cuts every connection, start() on the same
 * port brings it back, stall() holds client bytes (commands hang) until resume().
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Set<Socket>();
  private readonly held: Array<() => void> = [];
  private stalled = false;
  private boundPort = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  get port(): number {
    return this.boundPort;
  }

  /** Connections currently open through the proxy (client sides). */
  get connections(): number {
    return this.clients.size;
  }

  /** Listens on the port it had before (or a free one the first time). */
  async start(): Promise<this> {
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    return this;
  }

  /** Closes the port and cuts every open connection, as a crashed server would. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.held.length = 0;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stops forwarding client bytes: connections stay open, commands get no answer. */
  stall(): void {
    this.stalled = true;
  }

  /** Forwards what was held back during the stall, then everything as it comes. */
  resume(): void {
    this.stalled = false;
    for (const flush of this.held.splice(0)) flush();
  }

  private forward(client: Socket): void {
    const upstream = createConnection(this.targetPort, this.targetHost);
    this.clients.add(client);
    this.track(client);
    this.track(upstream);
    client.on('data', (chunk) => {
      if (this.stalled) this.held.push(() => upstream.write(chunk));
      else upstream.write(chunk);
    });
    upstream.pipe(client);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', cut).on('error', cut);
    upstream.on('close', cut).on('error', cut);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.clients.delete(socket);
    });
  }
}
