import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';

export type AuditAction = 'create' | 'update' | 'exit' | 'delete' | 'login' | 'import' | 'purge';

export interface AuditEntry {
  action: AuditAction;
  entityType: string;
  entityId: string;
  associationId?: string | null;
  interventionId?: string | null;
  changedFields?: string[];
  /** Ids and codes only: never participant attributes, names or passwords. */
  details?: Record<string, unknown>;
}

/** Appends to the audit log inside the caller's transaction, so the log and the write commit together. */
@Injectable()
export class AuditService {
  async record(manager: EntityManager, actor: AccessScope | null, entry: AuditEntry): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_user_id, actor_role, action, entity_type, entity_id, association_id,
                              intervention_id, changed_fields, details, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        actor?.userId ?? null,
        actor?.role ?? null,
        entry.action,
        entry.entityType,
        entry.entityId,
        entry.associationId ?? null,
        entry.interventionId ?? null,
        entry.changedFields ?? [],
        JSON.stringify(entry.details ?? {}),
        actor?.correlationId ?? null,
      ],
    );
  }
}
