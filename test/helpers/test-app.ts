import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import supertest from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../apps/api/src/app.module';
import { configureHttpApp } from '../../apps/api/src/http-app';

export interface TestApp {
  app: INestApplication;
  http: () => ReturnType<typeof supertest>;
  db: DataSource;
  close(): Promise<void>;
}

/** The real API app (real PostgreSQL, real Redis), as main.ts builds it, without listening on a port. */
export async function createTestApp(): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = configureHttpApp(moduleRef.createNestApplication({ bufferLogs: true }));
  await app.init();
  const server = app.getHttpServer();
  return {
    app,
    http: () => supertest(server),
    db: app.get(DataSource),
    close: () => app.close(),
  };
}
