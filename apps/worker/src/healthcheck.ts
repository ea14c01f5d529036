// Container healthcheck of the worker: exits 0 when PostgreSQL and Redis answer within 3 seconds.
import Redis from 'ioredis';
import { Client } from 'pg';

async function check(): Promise<void> {
  const pg = new Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 3000 });
  await pg.connect();
  await pg.query('SELECT 1');
  await pg.end();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    connectTimeout: 3000,
    maxRetriesPerRequest: 1,
  });
  await redis.ping();
  redis.disconnect();
}

check().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
