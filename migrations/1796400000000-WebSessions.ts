import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Server-side sessions of the web pages. The cookie holds a random token; only its SHA-256 is stored, so a
 * copy of this table gives no live session. Several API replicas share it; logout deletes the row.
 */
export class WebSessions1796400000000 implements MigrationInterface {
  name = 'WebSessions1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE web_session (
        token_hash text PRIMARY KEY CHECK (length(token_hash) = 64),
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        -- The user's token version read at login (null until the users table has one): a password, role or
        -- scope change that bumps it ends the session.
        user_version integer,
        csrf_token text NOT NULL,
        flash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX web_session_user_idx ON web_session(user_id);
      CREATE INDEX web_session_last_seen_idx ON web_session(last_seen_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_session`);
  }
}
