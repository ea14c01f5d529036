import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/database/src/data-source.options';
import { runMigrationsLocked } from '../../libs/database/src/migrator';
import { syncMunicipalities } from '../../libs/database/src/reference-data';
import { ADMIN_DATABASE_URL, newTestRun } from './test-run';

/** Creates this run's database, applies the real migrations, and hands its URL to the test workers. */
export default async function globalSetup(): Promise<void> {
  const run = newTestRun();
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${run.databaseName}`);
  await admin.end();

  const dataSource = await new DataSource(dataSourceOptions(run.databaseUrl)).initialize();
  await runMigrationsLocked(dataSource);
  await syncMunicipalities(dataSource.manager);
  await dataSource.destroy();

  // Workers start after global set-up and inherit these.
  process.env.DATABASE_URL = run.databaseUrl;
  process.env.REDIS_PREFIX = run.redisPrefix;
  process.env.UPPFOLJNING_TEST_DATABASE = run.databaseName;
}
