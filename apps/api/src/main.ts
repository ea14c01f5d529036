import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AggregationRepository } from '@app/aggregation/aggregation.repository';
import { AggregationStatusService } from '@app/reporting/aggregation-status.service';
import { startEmbeddedPostgres } from '@app/database/embedded-postgres';
import { loadEnvironment } from '@config/environment';
import { AppModule } from './app.module';
import { configureHttpApp } from './http-app';

/**
 * `node main.js [--with-worker] [--demo]`: the HTTP API; with --with-worker also the background worker in
 * this process (small installs; the two share nothing in memory); with --demo it loads the demo association.
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
    // Demo rows are written directly: mark them like any other write, and ask for a rebuild right away.
    await app.get(AggregationRepository).markAllDirty(app.get(DataSource).manager);
    await app.get(AggregationStatusService).requestRebuild();
  }
  if (args.has('--with-worker')) {
    const { startWorker } = await import('../../worker/src/worker');
    await startWorker();
  }
  await app.listen(env.PORT);
  logger.log(`Uppföljning listening on http://localhost:${env.PORT} (API docs: /api/docs)`);
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});
