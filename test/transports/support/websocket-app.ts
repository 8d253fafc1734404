import { INestApplication } from '@nestjs/common';
import { MessageBody, OnGatewayInit, SubscribeMessage, WebSocketGateway, type WsResponse } from '@nestjs/websockets';
import { Test } from '@nestjs/testing';
import type { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { FeatureFlag, FlagVariable, SkipFeatureFlag } from '../../../lib/http';
import type { VWOModuleOptions } from '../../../lib/options/vwo-module-options.interface';
import { VWOModule } from '../../../lib/vwo.module';
import { VWOService } from '../../../lib/vwo.service';
import { vwoTestOptions } from '../../http/support/http-test-app';
import { LogCollector, whoAmI, type WhoAmI } from './transport-test-kit';

interface OrderMessage {
  order: number;
  userId?: string;
}

/** Gated as a whole by "checkout" (alice, ann). */
@FeatureFlag('checkout')
@WebSocketGateway()
export class CheckoutGateway implements OnGatewayInit {
  constructor(private readonly vwo: VWOService) {}

  /** Auth as socket.io middleware: a `token-<id>` in the handshake's auth becomes `socket.data.user`. */
  afterInit(server: Server): void {
    server.use((socket, next) => {
      const token: unknown = socket.handshake.auth?.token;
      if (typeof token === 'string' && token.startsWith('token-')) socket.data.user = { id: token.slice('token-'.length) };
      next();
    });
  }

  /** Answered through the client's ack. */
  @SubscribeMessage('checkout')
  checkout(@MessageBody() data: OrderMessage, @FlagVariable('checkout', 'layout', 'v1') layout: string): { accepted: number; layout: string } {
    return { accepted: data.order, layout };
  }

  /** Answered with an event (for clients that send without an ack). */
  @SubscribeMessage('checkout:event')
  checkoutEvent(@MessageBody() data: OrderMessage): WsResponse<{ accepted: number }> {
    return { event: 'checkout:done', data: { accepted: data.order } };
  }

  @SkipFeatureFlag()
  @SubscribeMessage('ping')
  ping(): string {
    return 'pong';
  }

  @FeatureFlag('everyone')
  @SubscribeMessage('whoami')
  whoami(): Promise<WhoAmI> {
    return whoAmI(this.vwo);
  }
}

export interface WebSocketTestApp {
  app: INestApplication;
  logs: LogCollector;
  /** A connected socket.io client; `userId` goes in the handshake's `x-vwo-user-id` header, `token` in its auth. */
  connect(identity?: { userId?: string; token?: string }): Promise<Socket>;
  close(): Promise<void>;
}

/** A Nest app with a socket.io gateway on its HTTP server (127.0.0.1, port 0) and VWOModule offline. */
export async function createWebSocketApp(vwo: Partial<VWOModuleOptions> = {}): Promise<WebSocketTestApp> {
  const logs = new LogCollector();
  const moduleRef = await Test.createTestingModule({
    imports: [VWOModule.forRoot(vwoTestOptions({ logger: logs, ...vwo }))],
    providers: [CheckoutGateway],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: logs });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const sockets: Socket[] = [];
  return {
    app,
    logs,
    connect: (identity = {}) => {
      const socket = io(url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        extraHeaders: identity.userId === undefined ? {} : { 'x-vwo-user-id': identity.userId },
        auth: identity.token === undefined ? {} : { token: identity.token },
      });
      sockets.push(socket);
      return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    },
    close: async () => {
      for (const socket of sockets) socket.disconnect();
      await app.close();
    },
  };
}
