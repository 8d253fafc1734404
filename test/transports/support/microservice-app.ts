import { Controller, INestMicroservice } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, EventPattern, MessagePattern, Payload, Transport } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { AddressInfo, Server } from 'node:net';
import { FeatureFlag, FlagVariable, SkipFeatureFlag } from '../../../lib/http';
import type { VWOModuleOptions } from '../../../lib/options/vwo-module-options.interface';
import { VWOModule } from '../../../lib/vwo.module';
import { VWOService } from '../../../lib/vwo.service';
import { vwoTestOptions } from '../../http/support/http-test-app';
import { LogCollector, whoAmI, type WhoAmI } from './transport-test-kit';

export interface OrderMessage {
  userId?: string;
  order: number;
}

/** Gated as a whole by "checkout" (alice, ann). */
@FeatureFlag('checkout')
@Controller()
export class OrdersController {
  /** Events the handler received, in order. */
  readonly placed: OrderMessage[] = [];

  constructor(private readonly vwo: VWOService) {}

  @MessagePattern('checkout')
  checkout(@Payload() data: OrderMessage, @FlagVariable('checkout', 'layout', 'v1') layout: string): { accepted: number; layout: string } {
    return { accepted: data.order, layout };
  }

  @EventPattern('order_placed')
  orderPlaced(@Payload() data: OrderMessage): void {
    this.placed.push(data);
  }

  @SkipFeatureFlag()
  @MessagePattern('ping')
  ping(): string {
    return 'pong';
  }

  @FeatureFlag('everyone')
  @MessagePattern('whoami')
  whoami(): Promise<WhoAmI> {
    return whoAmI(this.vwo);
  }
}

export interface MicroserviceTestApp {
  app: INestMicroservice;
  client: ClientProxy;
  controller: OrdersController;
  logs: LogCollector;
  close(): Promise<void>;
}

/** A TCP microservice on 127.0.0.1 (port 0) with VWOModule offline, and a client connected to it. */
export async function createMicroserviceApp(vwo: Partial<VWOModuleOptions> = {}): Promise<MicroserviceTestApp> {
  const logs = new LogCollector();
  const moduleRef = await Test.createTestingModule({
    imports: [VWOModule.forRoot(vwoTestOptions({ logger: logs, ...vwo }))],
    controllers: [OrdersController],
  }).compile();
  const app = moduleRef.createNestMicroservice({ transport: Transport.TCP, options: { host: '127.0.0.1', port: 0 }, logger: logs });
  await app.listen();
  const { port } = app.unwrap<Server>().address() as AddressInfo;
  const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
  await client.connect();
  return {
    app,
    client,
    controller: app.get(OrdersController),
    logs,
    close: async () => {
      await client.close();
      await app.close();
    },
  };
}
