import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A dirty mark may say from which date its year changed: a registration or an exit today changes only the
 * periods that end today or later (this quarter, half-year and year, and since start), so the recompute leaves
 * the year's earlier periods as stored. NULL, as every mark before this migration, is the whole year.
 */
export class DirtyMarkFromDate1797000000000 implements MigrationInterface {
  name = 'DirtyMarkFromDate1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE aggregation_dirty ADD COLUMN from_date date;`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE aggregation_dirty DROP COLUMN from_date;`);
  }
}
