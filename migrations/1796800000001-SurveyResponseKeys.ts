import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Survey results follow the reports' disclosure rule (README "Disclosure control"): every survey response gets
 * a record key like enrolments and participants (a fixed random integer in [0, 2^48), never shown), and the
 * stored survey results carry the cell keys of their answer counts. Existing responses get theirs now (the
 * default is evaluated per row), and every stored survey result is marked for the worker to recompute with keys.
 */
export class SurveyResponseKeys1796800000001 implements MigrationInterface {
  name = 'SurveyResponseKeys1796800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE survey_response ADD COLUMN disclosure_key bigint NOT NULL DEFAULT disclosure_record_key()
        CHECK (disclosure_key >= 0 AND disclosure_key < 281474976710656);
      INSERT INTO survey_dirty (association_id, year)
      SELECT DISTINCT r.association_id, r.year FROM survey_round r
      ON CONFLICT (association_id, year) DO UPDATE SET version = survey_dirty.version + 1, marked_at = now();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE survey_response DROP COLUMN disclosure_key;`);
  }
}
