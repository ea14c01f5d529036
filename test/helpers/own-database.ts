import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/database/src/data-source.options';
import { runMigrationsLocked } from '../../libs/database/src/migrator';
import { syncMunicipalities } from '../../libs/database/src/reference-data';
import { ADMIN_DATABASE_URL } from '../setup/test-run';

/**
 * A database of this test file alone (real migrations), for tests that need the whole installation to
 * themselves, e.g. "the last active admin". Points DATABASE_URL of this jest worker at it; drop() removes it.
 */
export async function useOwnDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${process.env.UPPFOLJNING_TEST_DATABASE ?? 'uppfoljning_test'}_own_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  const dataSource = await new DataSource(dataSourceOptions(url.toString())).initialize();
  await runMigrationsLocked(dataSource);
  await syncMunicipalities(dataSource.manager);
  await dataSource.destroy();
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url.toString();
  return {
    url: url.toString(),
    drop: async () => {
      process.env.DATABASE_URL = previous;
      const client = new Client({ connectionString: ADMIN_DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
