import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import type { Role } from '@app/domain';

interface ScopeRow {
  id: string;
  role: Role;
  association_ids: string[];
  intervention_ids: string[];
}

const SELECT_SCOPE = `
  SELECT u.id, u.role,
         CASE WHEN u.role = 'coordinator'
              THEN ARRAY(SELECT DISTINCT i.association_id FROM user_intervention ui
                         JOIN intervention i ON i.id = ui.intervention_id WHERE ui.user_id = u.id)
              ELSE ARRAY(SELECT ua.association_id FROM user_association ua WHERE ua.user_id = u.id)
         END AS association_ids,
         ARRAY(SELECT ui.intervention_id FROM user_intervention ui WHERE ui.user_id = u.id) AS intervention_ids
    FROM app_user u`;

function toScope(row: ScopeRow | undefined): AccessScope | null {
  if (!row) return null;
  return {
    userId: row.id,
    role: row.role,
    allAssociations: row.role === 'admin',
    associationIds: row.association_ids,
    interventionIds: row.role === 'coordinator' ? row.intervention_ids : [],
  };
}

/** Reads a user's role and granted associations/interventions: the input to every scoped query. */
@Injectable()
export class ScopeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The scope behind a token or session: null unless the account is active and its token version is
   * still the one the token (or session) was issued with. One query, on every request, so a password,
   * role, grant or active change ends every earlier token at once. Reuse it for any other credential.
   */
  async loadScope(userId: string, tokenVersion: number): Promise<AccessScope | null> {
    const rows: ScopeRow[] = await this.dataSource.query(
      `${SELECT_SCOPE} WHERE u.id = $1 AND u.active AND u.token_version = $2`,
      [userId, tokenVersion],
    );
    return toScope(rows[0]);
  }

  /**
   * The user's scope as it is now, for work done on their behalf after the request (a stored export
   * made or downloaded later): null if the account is no longer active.
   */
  async currentScope(userId: string): Promise<AccessScope | null> {
    const rows: ScopeRow[] = await this.dataSource.query(`${SELECT_SCOPE} WHERE u.id = $1 AND u.active`, [
      userId,
    ]);
    return toScope(rows[0]);
  }
}
