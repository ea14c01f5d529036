import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface WebSessionRow {
  tokenHash: string;
  userId: string;
  userVersion: number | null;
  csrfToken: string;
  flash: string | null;
  email: string;
}

/** Named SQL of the web sessions (table web_session). */
@Injectable()
export class WebSessionRepository {
  async insert(
    m: EntityManager,
    s: { tokenHash: string; userId: string; userVersion: number | null; csrfToken: string },
  ): Promise<void> {
    await m.query(
      `INSERT INTO web_session (token_hash, user_id, user_version, csrf_token) VALUES ($1, $2, $3, $4)`,
      [s.tokenHash, s.userId, s.userVersion, s.csrfToken],
    );
  }

  /**
   * The live session of a token, marked as used now. A session idle longer than `idleMinutes`, or older
   * than `maxHours`, is not returned (and is deleted by `deleteExpired`).
   */
  async touch(
    m: EntityManager,
    tokenHash: string,
    idleMinutes: number,
    maxHours: number,
  ): Promise<WebSessionRow | null> {
    const rows: {
      token_hash: string;
      user_id: string;
      user_version: number | null;
      csrf_token: string;
      flash: string | null;
      email: string;
    }[] = await m.query(
      // A CTE, so the statement is a SELECT and the driver returns its rows as rows.
      `WITH touched AS (
         UPDATE web_session s SET last_seen_at = now()
           FROM app_user u
          WHERE s.token_hash = $1 AND u.id = s.user_id
            AND s.last_seen_at > now() - make_interval(mins => $2::int)
            AND s.created_at > now() - make_interval(hours => $3::int)
          RETURNING s.token_hash, s.user_id, s.user_version, s.csrf_token, s.flash, u.email)
       SELECT * FROM touched`,
      [tokenHash, idleMinutes, maxHours],
    );
    const row = rows[0];
    return row
      ? {
          tokenHash: row.token_hash,
          userId: row.user_id,
          userVersion: row.user_version,
          csrfToken: row.csrf_token,
          flash: row.flash,
          email: row.email,
        }
      : null;
  }

  async setFlash(m: EntityManager, tokenHash: string, flash: string | null): Promise<void> {
    await m.query(`UPDATE web_session SET flash = $2 WHERE token_hash = $1`, [tokenHash, flash]);
  }

  async delete(m: EntityManager, tokenHash: string): Promise<void> {
    await m.query(`DELETE FROM web_session WHERE token_hash = $1`, [tokenHash]);
  }

  async deleteExpired(m: EntityManager, idleMinutes: number, maxHours: number): Promise<void> {
    await m.query(
      `DELETE FROM web_session
        WHERE last_seen_at <= now() - make_interval(mins => $1::int)
           OR created_at <= now() - make_interval(hours => $2::int)`,
      [idleMinutes, maxHours],
    );
  }
}
