import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stored cell keys (README "Disclosure control"): every stored period result carries, beside its counts, the
 * cell key of each count cell, written in the same statement as the counts. Masked reports are computed from
 * these, never from the enrolment rows, so they stay the same after retention has deleted old rows.
 * Results written before have no keys (NULL): every (insats, year) with enrolments is marked dirty so the
 * worker recomputes them, and a masked read of a result without keys answers 503 until then.
 */
export class StoredCellKeys1796800000000 implements MigrationInterface {
  name = 'StoredCellKeys1796800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE period_result ADD COLUMN keys jsonb;
      INSERT INTO aggregation_dirty (intervention_id, year)
      SELECT DISTINCT e.intervention_id,
             generate_series(extract(year FROM e.started_on)::int,
                             extract(year FROM COALESCE(e.exited_on, greatest(e.started_on, current_date)))::int)
        FROM enrolment e
      ON CONFLICT (intervention_id, year)
      DO UPDATE SET version = nextval('aggregation_dirty_version_seq'), marked_at = now();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE period_result DROP COLUMN keys;`);
  }
}
