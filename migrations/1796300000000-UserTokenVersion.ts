import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A token version per user, carried in every access token and compared on each request: bumping it
 * (password, active flag, role or grants changed) ends every token issued before.
 */
export class UserTokenVersion1796300000000 implements MigrationInterface {
  name = 'UserTokenVersion1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN token_version`);
  }
}
