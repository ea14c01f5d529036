import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Coalesced recomputes. A dirty mark's version now comes from one sequence, so a mark that was cleared and
 * made again never carries a version seen before (a job that read the old one must not clear the new one).
 * Run times are stamped with the real clock, and a rebuild records which scopes it could not build.
 */
export class CoalescedAggregation1796500000000 implements MigrationInterface {
  name = 'CoalescedAggregation1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE SEQUENCE aggregation_dirty_version_seq;
      SELECT setval('aggregation_dirty_version_seq', COALESCE((SELECT max(version) FROM aggregation_dirty), 0) + 1, false);
      ALTER TABLE aggregation_dirty ALTER COLUMN version SET DEFAULT nextval('aggregation_dirty_version_seq');

      ALTER TABLE aggregation_run ALTER COLUMN finished_at SET DEFAULT clock_timestamp();
      ALTER TABLE aggregation_run ADD COLUMN failures jsonb NOT NULL DEFAULT '[]';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE aggregation_run DROP COLUMN failures;
      ALTER TABLE aggregation_run ALTER COLUMN finished_at SET DEFAULT now();
      ALTER TABLE aggregation_dirty ALTER COLUMN version SET DEFAULT 1;
      DROP SEQUENCE aggregation_dirty_version_seq;
    `);
  }
}
