// Where this test run keeps its own resources: a database and a Redis key prefix of its own.
import { randomBytes } from 'node:crypto';

export const ADMIN_DATABASE_URL =
  process.env.TEST_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestRun {
  databaseName: string;
  databaseUrl: string;
  redisPrefix: string;
}

export function newTestRun(): TestRun {
  const suffix = randomBytes(5).toString('hex');
  const databaseName = `uppfoljning_test_${suffix}`;
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${databaseName}`;
  return { databaseName, databaseUrl: url.toString(), redisPrefix: `uppfoljning-test-${suffix}` };
}
