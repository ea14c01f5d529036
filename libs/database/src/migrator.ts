import { DataSource } from 'typeorm';

// Arbitrary constant: every replica takes the same lock, so only one of them migrates at a time.
const MIGRATION_LOCK_KEY = 727_001;

/** Runs pending migrations under a PostgreSQL advisory lock, so two replicas starting together never race. */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
