/**
 * A tiny user app, compiled to CommonJS and run with plain `node` against the PACKED library (see
 * scripts/consumer-check.sh): boots Nest with offline settings, serves requests that read flags, prints one
 * JSON line describing what it saw, and exits non-zero if anything is off. Used on Nest 11
 * (test/package) and Nest 12 (.ci/nest12).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as main from 'nestjs-vwo';
import { FeatureFlag, VWOModule, VWOService } from 'nestjs-vwo';
import * as testing from 'nestjs-vwo/testing';
import { SettingsBuilder } from 'nestjs-vwo/testing';

const settings = new SettingsBuilder({ accountId: 1 })
  .flag('checkout', { enabled: true, variables: { title: 'New checkout' } })
  .flag('beta', { enabled: false })
  .build();

@Controller()
class AppController {
  constructor(private readonly vwo: VWOService) {}

  @Get('checkout')
  async checkout(): Promise<{ enabled: boolean; title: unknown }> {
    const flag = await this.vwo.getFlag('checkout', { id: 'user-1' });
    return { enabled: flag.isEnabled(), title: flag.getVariable('title', 'none') };
  }

  @Get('beta')
  @FeatureFlag('beta')
  beta(): string {
    return 'beta';
  }
}

@Module({ imports: [VWOModule.forRoot({ settings })], controllers: [AppController] })
class AppModule {}

function installedVersion(name: string): string {
  return JSON.parse(readFileSync(join(process.cwd(), 'node_modules', name, 'package.json'), 'utf8')).version;
}

async function run(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const checkout = await (await fetch(`${base}/checkout`)).json();
  const beta = (await fetch(`${base}/beta`, { headers: { 'x-vwo-user-id': 'user-1' } })).status;
  await app.close();
  const report = {
    nest: installedVersion('@nestjs/core'),
    mainExports: Object.keys(main).sort(),
    testingExports: Object.keys(testing).sort(),
    checkout,
    beta,
    // Optional peers must not be loaded by the main or testing entry.
    optionalPeersLoaded: Object.keys(require.cache).filter((file) => /@nestjs[\\/]terminus|@openfeature/.test(file)),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  const ok = checkout.enabled === true && checkout.title === 'New checkout' && beta === 404 && report.optionalPeersLoaded.length === 0;
  process.exitCode = ok ? 0 : 1;
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
