import Redis from 'ioredis';
import { Client } from 'pg';
import { ADMIN_DATABASE_URL } from './test-run';

/** Drops this run's database and deletes its Redis keys, so runs never leave anything behind. */
export default async function globalTeardown(): Promise<void> {
  const databaseName = process.env.UPPFOLJNING_TEST_DATABASE;
  if (databaseName && process.env.KEEP_TEST_DATABASE !== '1') {
    const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  }
  const prefix = process.env.REDIS_PREFIX;
  if (prefix) {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}
