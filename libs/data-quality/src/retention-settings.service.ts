import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { AuditService } from '@app/audit/audit.service';
import { InterventionAccess } from '@app/registry/intervention-access';
import { AppConfig } from '@config/config.module';
import { RetentionRepository } from './retention.repository';

export interface RetentionSetting {
  /** The association's own setting; null: the installation default. */
  retentionMonths: number | null;
  effectiveMonths: number;
}

/** Reading and setting an association's retention period (API and admin page alike), audited. */
@Injectable()
export class RetentionSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly retention: RetentionRepository,
    private readonly access: InterventionAccess,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async get(scope: AccessScope, id: string): Promise<RetentionSetting> {
    await this.access.requireAssociation(this.dataSource.manager, scope, id);
    const months = await this.retention.retentionMonths(this.dataSource.manager, id);
    return { retentionMonths: months, effectiveMonths: months ?? this.config.env.RETENTION_MONTHS };
  }

  async set(scope: AccessScope, id: string, months: number | null): Promise<RetentionSetting> {
    await this.dataSource.transaction(async (tx) => {
      await this.access.requireAssociation(tx, scope, id);
      await this.retention.setRetentionMonths(tx, id, months);
      await this.audit.record(tx, scope, {
        action: 'update',
        entityType: 'association',
        entityId: id,
        associationId: id,
        changedFields: ['retentionMonths'],
        details: { retentionMonths: months },
      });
    });
    return this.get(scope, id);
  }
}
