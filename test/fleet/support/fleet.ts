import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { VWOModuleOptions } from '../../../lib/options/vwo-module-options.interface';
import { VWOModule } from '../../../lib/vwo.module';
import { VWOService } from '../../../lib/vwo.service';
import { FLEET_FEATURE } from './fleet-settings.fixture';

/** One replica: a Nest HTTP app listening on 127.0.0.1 (a free port). */
export interface Replica {
  app: INestApplication;
  vwo: VWOService;
  url: string;
  /** Milliseconds app.init() + listen() took. */
  bootMs: number;
}

/** Boots one replica of the fleet (Express unless `fastify`). */
export async function startReplica(options: VWOModuleOptions, platform: 'express' | 'fastify' = 'express'): Promise<Replica> {
  const moduleRef = await Test.createTestingModule({ imports: [VWOModule.forRoot(options)] }).compile();
  const app = platform === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
  const started = Date.now();
  await app.listen(0, '127.0.0.1');
  return { app, vwo: app.get(VWOService), url: await appUrl(app), bootMs: Date.now() - started };
}

async function appUrl(app: INestApplication): Promise<string> {
  const url = new URL(await app.getUrl());
  url.hostname = '127.0.0.1'; // getUrl() may say [::1] or localhost
  return url.origin;
}

/** Closes every replica (those that booted). */
export async function stopAll(replicas: ReadonlyArray<Replica | undefined>): Promise<void> {
  await Promise.all(replicas.map((replica) => replica?.app.close()));
}

/** The colour each user gets on a replica. */
export async function colours(replica: Replica, users: readonly string[]): Promise<string[]> {
  return Promise.all(users.map(async (id) => String((await replica.vwo.getFlag(FLEET_FEATURE, { id })).getVariable('color', 'disabled'))));
}

/** The version of the settings a replica serves (undefined before any). */
export function versionOf(replica: Replica): unknown {
  return replica.vwo.getSnapshot()?.version;
}

/** POSTs to the replica's webhook route; `secret` undefined sends no x-vwo-auth header. */
export async function callWebhook(replica: Replica, secret: string | undefined, path = '/vwo/webhook'): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== undefined) headers['x-vwo-auth'] = secret;
  const response = await fetch(`${replica.url}${path}`, { method: 'POST', headers, body: JSON.stringify({ event: 'settings-updated' }) });
  await response.arrayBuffer();
  return response.status;
}

/** `count` user ids unique to this test. */
export function usersFor(label: string, count = 60): string[] {
  return Array.from({ length: count }, (_, i) => `${label}-${process.pid}-${i}`);
}
