import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A failed import keeps why as a code and its parameters beside the English message, so the web words it in
 * Swedish (libs/domain import-problems.ts). Problems carry theirs inside the stored JSON. Imports that failed
 * before keep only their message, which the web then shows as it is.
 */
export class ImportErrorCodes1796900000000 implements MigrationInterface {
  name = 'ImportErrorCodes1796900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE import_job ADD COLUMN error_code text, ADD COLUMN error_params jsonb;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE import_job DROP COLUMN error_code, DROP COLUMN error_params;`);
  }
}
