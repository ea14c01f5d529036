import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Record keys for disclosure control by the cell-key method (README "Disclosure control"): every enrolment and
 * every participant gets a fixed random integer in [0, 2^48), drawn from gen_random_uuid() (a strong random
 * source) when the row is made. A cell's key is the sum of its records' keys modulo 2^48. Never exposed by the
 * API. Existing rows get theirs now (a volatile default is evaluated per row).
 */
export class DisclosureRecordKeys1796100000000 implements MigrationInterface {
  name = 'DisclosureRecordKeys1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION disclosure_record_key() RETURNS bigint LANGUAGE sql VOLATILE AS
        $$ SELECT ('x' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 12))::bit(48)::bigint $$;
      ALTER TABLE enrolment ADD COLUMN disclosure_key bigint NOT NULL DEFAULT disclosure_record_key()
        CHECK (disclosure_key >= 0 AND disclosure_key < 281474976710656);
      ALTER TABLE participant ADD COLUMN disclosure_key bigint NOT NULL DEFAULT disclosure_record_key()
        CHECK (disclosure_key >= 0 AND disclosure_key < 281474976710656);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE participant DROP COLUMN disclosure_key;
      ALTER TABLE enrolment DROP COLUMN disclosure_key;
      DROP FUNCTION disclosure_record_key();
    `);
  }
}
