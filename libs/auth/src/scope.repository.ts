import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '@app/domain';
import type { AccessScope } from './access-scope';

interface ScopeRow {
  id: string;
  role: Role;
  active: boolean;
  association_ids: string[];
  intervention_ids: string[];
}

/** Reads a user's role and granted associations/interventions: the input to every scoped query. */
@Injectable()
export class ScopeRepository {
  constructor(private readonly dataSource: DataSource) {}

  async loadScope(userId: string): Promise<AccessScope | null> {
    const rows: ScopeRow[] = await this.dataSource.query(
      `SELECT u.id, u.role, u.active,
              CASE WHEN u.role = 'coordinator'
                   THEN ARRAY(SELECT DISTINCT i.association_id FROM user_intervention ui
                              JOIN intervention i ON i.id = ui.intervention_id WHERE ui.user_id = u.id)
                   ELSE ARRAY(SELECT ua.association_id FROM user_association ua WHERE ua.user_id = u.id)
              END AS association_ids,
              ARRAY(SELECT ui.intervention_id FROM user_intervention ui WHERE ui.user_id = u.id) AS intervention_ids
         FROM app_user u WHERE u.id = $1`,
      [userId],
    );
    const row = rows[0];
    if (!row || !row.active) return null;
    return {
      userId: row.id,
      role: row.role,
      allAssociations: row.role === 'admin',
      associationIds: row.association_ids,
      interventionIds: row.role === 'coordinator' ? row.intervention_ids : [],
    };
  }
}
