import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface AuditLine {
  occurredAt: string;
  action: string;
  actorEmail: string | null;
  actorRole: string | null;
  changedFields: string[];
}

/** Reads the audit log of one object, for admins (who see every association). */
@Injectable()
export class AuditLogRepository {
  async ofEntity(m: EntityManager, entityType: string, entityId: string): Promise<AuditLine[]> {
    const rows: {
      occurred_at: Date;
      action: string;
      email: string | null;
      actor_role: string | null;
      changed_fields: string[];
    }[] = await m.query(
      `SELECT a.occurred_at, a.action, u.email, a.actor_role, a.changed_fields
         FROM audit_log a LEFT JOIN app_user u ON u.id = a.actor_user_id
        WHERE a.entity_type = $1 AND a.entity_id = $2
        ORDER BY a.occurred_at DESC, a.id DESC
        LIMIT 500`,
      [entityType, entityId],
    );
    return rows.map((r) => ({
      occurredAt: r.occurred_at.toISOString(),
      action: r.action,
      actorEmail: r.email,
      actorRole: r.actor_role,
      changedFields: r.changed_fields,
    }));
  }
}
