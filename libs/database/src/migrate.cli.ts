// `npm run migrate`: apply pending migrations against DATABASE_URL and exit.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options';
import { runMigrationsLocked } from './migrator';
import { syncMunicipalities } from './reference-data';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    await syncMunicipalities(dataSource.manager);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Schema is up to date\n');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
