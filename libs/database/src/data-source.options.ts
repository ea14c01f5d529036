import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { PreparingClient } from './preparing-client';

/** Options shared by the Nest connection, the migration CLI and the test set-up. Never `synchronize`. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    extra: { max: 10, application_name: 'uppfoljning', Client: PreparingClient },
  };
}
