import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startEmbeddedPostgres } from '@app/database/embedded-postgres';
import { loadEnvironment } from '@config/environment';
import { AppModule } from './app.module';
import { configureHttpApp } from './http-app';

/**
 * `node main.js [--demo]`: the HTTP API; with --demo it also loads the demo association.
 */
async function bootstrap(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const logger = new Logger('Bootstrap');
  const env = loadEnvironment(process.env);

  if (!env.DATABASE_URL) {
    // Stopped by the package's own exit hook when the process ends.
    const embedded = await startEmbeddedPostgres(env.EMBEDDED_PG_DIR, env.EMBEDDED_PG_PORT, logger);
    process.env.DATABASE_URL = embedded.url;
  }

  const app = configureHttpApp(await NestFactory.create(AppModule, { bufferLogs: true }));
  await app.init();

  if (args.has('--demo')) {
    const { loadDemoData } = await import('@app/demo/demo-data');
    await loadDemoData(app, logger);
  }
  await app.listen(env.PORT);
  logger.log(`Uppföljning listening on http://localhost:${env.PORT} (API docs: /api/docs)`);
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});
