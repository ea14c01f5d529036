import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '@app/domain';
import type { UserView } from './auth.dto';

interface UserRow {
  id: string;
  email: string;
  role: Role;
  display_name: string | null;
  active: boolean;
  created_at: Date;
  association_ids: string[];
  intervention_ids: string[];
}

const SELECT_USER = `
  SELECT u.id, u.email, u.role, u.display_name, u.active, u.created_at,
         ARRAY(SELECT association_id FROM user_association WHERE user_id = u.id ORDER BY 1) AS association_ids,
         ARRAY(SELECT intervention_id FROM user_intervention WHERE user_id = u.id ORDER BY 1) AS intervention_ids
    FROM app_user u`;

function toView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    displayName: row.display_name,
    active: row.active,
    associationIds: row.association_ids,
    interventionIds: row.intervention_ids,
    createdAt: row.created_at.toISOString(),
  };
}

@Injectable()
export class UsersRepository {
  async findCredentials(
    manager: EntityManager,
    email: string,
  ): Promise<{ id: string; passwordHash: string; active: boolean; tokenVersion: number } | null> {
    const rows = await manager.query(
      `SELECT id, password_hash, active, token_version FROM app_user WHERE email = $1`,
      [email],
    );
    const row = rows[0];
    return row
      ? { id: row.id, passwordHash: row.password_hash, active: row.active, tokenVersion: row.token_version }
      : null;
  }

  async findCredentialsById(
    manager: EntityManager,
    id: string,
  ): Promise<{ email: string; passwordHash: string } | null> {
    const rows = await manager.query(`SELECT email, password_hash FROM app_user WHERE id = $1`, [id]);
    return rows[0] ? { email: rows[0].email, passwordHash: rows[0].password_hash } : null;
  }

  /** Sets a new password hash and ends every earlier token; returns the new token version. */
  async changePassword(manager: EntityManager, id: string, passwordHash: string): Promise<number> {
    // TypeORM answers an UPDATE as [rows, affected].
    const [rows]: [{ token_version: number }[], number] = await manager.query(
      `UPDATE app_user SET password_hash = $2, token_version = token_version + 1, updated_at = now()
        WHERE id = $1 RETURNING token_version`,
      [id, passwordHash],
    );
    return rows[0].token_version;
  }

  async emailExists(manager: EntityManager, email: string): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM app_user WHERE email = $1`, [email]);
    return rows.length > 0;
  }

  async countUsers(manager: EntityManager): Promise<number> {
    const rows = await manager.query(`SELECT count(*)::int AS n FROM app_user`);
    return rows[0].n;
  }

  async insert(
    manager: EntityManager,
    user: { email: string; passwordHash: string; role: Role; displayName: string | null },
  ): Promise<string> {
    const rows = await manager.query(
      `INSERT INTO app_user (email, password_hash, role, display_name) VALUES ($1, $2, $3, $4) RETURNING id`,
      [user.email, user.passwordHash, user.role, user.displayName],
    );
    return rows[0].id;
  }

  async update(
    manager: EntityManager,
    id: string,
    changes: { active?: boolean; passwordHash?: string; displayName?: string; role?: Role },
    endTokens: boolean,
  ): Promise<void> {
    // endTokens bumps the token version: every token and session issued before stops working.
    await manager.query(
      `UPDATE app_user SET active = COALESCE($2, active), password_hash = COALESCE($3, password_hash),
              display_name = COALESCE($4, display_name), role = COALESCE($5, role),
              token_version = token_version + CASE WHEN $6 THEN 1 ELSE 0 END, updated_at = now()
        WHERE id = $1`,
      [
        id,
        changes.active ?? null,
        changes.passwordHash ?? null,
        changes.displayName ?? null,
        changes.role ?? null,
        endTokens,
      ],
    );
  }

  /** Locks the active admins' rows and returns their ids: the last one must stay an active admin. */
  async lockActiveAdmins(manager: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM app_user WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`,
    );
    return rows.map((r) => r.id);
  }

  async replaceGrants(
    manager: EntityManager,
    userId: string,
    associationIds: string[],
    interventionIds: string[],
  ) {
    await manager.query(`DELETE FROM user_association WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM user_intervention WHERE user_id = $1`, [userId]);
    await manager.query(
      `INSERT INTO user_association (user_id, association_id) SELECT $1, unnest($2::uuid[])`,
      [userId, associationIds],
    );
    await manager.query(
      `INSERT INTO user_intervention (user_id, intervention_id) SELECT $1, unnest($2::uuid[])`,
      [userId, interventionIds],
    );
  }

  /** Which of these ids do not exist; used to answer 400 naming the bad grant. */
  async missingIds(
    manager: EntityManager,
    table: 'association' | 'intervention',
    ids: string[],
  ): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await manager.query(
      `SELECT x.id FROM unnest($1::uuid[]) AS x(id) WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id = x.id)`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  async touchLogin(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE app_user SET last_login_at = now() WHERE id = $1`, [id]);
  }

  async findView(manager: EntityManager, id: string): Promise<UserView | null> {
    const rows: UserRow[] = await manager.query(`${SELECT_USER} WHERE u.id = $1`, [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  async listViews(manager: EntityManager): Promise<UserView[]> {
    const rows: UserRow[] = await manager.query(`${SELECT_USER} ORDER BY u.email`);
    return rows.map(toView);
  }
}
