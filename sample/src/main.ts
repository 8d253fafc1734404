import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // Flushes queued VWO events and stops settings polling on SIGTERM / SIGINT.
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  new Logger('Shop').log(`Shop listening on ${await app.getUrl()} (try: curl -H 'x-vwo-user-id: alice' ${await app.getUrl()}/checkout)`);
}

void bootstrap();
