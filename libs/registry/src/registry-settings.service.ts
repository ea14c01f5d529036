import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { AuditService } from '@app/audit/audit.service';
import { badField } from '@app/http/field-errors.exception';
import { InterventionAccess } from './intervention-access';
import type { AssociationView, InterventionView } from './registry.dto';
import { RegistryRepository } from './registry.repository';
import type { SetDisclosureThresholdDto, SetInterventionMunicipalitiesDto } from './registry-settings.dto';

/**
 * Changing what an admin set when creating: an association's disclosure threshold and an insats'
 * municipalities. Each change is one transaction with its audit row (old and new value). Masked figures
 * need no recompute: they are masked on read with the threshold as part of their cache key.
 */
@Injectable()
export class RegistrySettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryRepository,
    private readonly access: InterventionAccess,
    private readonly audit: AuditService,
  ) {}

  setDisclosureThreshold(
    actor: AccessScope,
    associationId: string,
    dto: SetDisclosureThresholdDto,
  ): Promise<AssociationView> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.access.requireAssociation(tx, actor, associationId);
      if (current.disclosureThreshold === dto.disclosureThreshold) return current;
      await tx.query(`UPDATE association SET disclosure_threshold = $2, updated_at = now() WHERE id = $1`, [
        associationId,
        dto.disclosureThreshold,
      ]);
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'association',
        entityId: associationId,
        associationId,
        changedFields: ['disclosureThreshold'],
        details: { from: current.disclosureThreshold, to: dto.disclosureThreshold },
      });
      return (await this.registry.listAssociations(tx, actor, associationId))[0];
    });
  }

  setInterventionMunicipalities(
    actor: AccessScope,
    interventionId: string,
    dto: SetInterventionMunicipalitiesDto,
  ): Promise<InterventionView> {
    const codes = [...new Set(dto.municipalities)].sort();
    return this.dataSource.transaction(async (tx) => {
      const current = await this.access.require(tx, actor, interventionId);
      const unknown = await this.registry.unknownMunicipalities(tx, codes);
      if (unknown.length)
        throw badField('municipalities', `unknown SCB municipality code ${unknown.join(', ')}`);
      await tx.query(`DELETE FROM intervention_municipality WHERE intervention_id = $1`, [interventionId]);
      await tx.query(
        `INSERT INTO intervention_municipality (intervention_id, municipality_code) SELECT $1, unnest($2::text[])`,
        [interventionId, codes],
      );
      await tx.query(`UPDATE intervention SET updated_at = now() WHERE id = $1`, [interventionId]);
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'intervention',
        entityId: interventionId,
        associationId: current.associationId,
        interventionId,
        changedFields: ['municipalities'],
        details: { from: current.municipalities, to: codes },
      });
      return (await this.registry.listInterventions(tx, actor, { id: interventionId }))[0];
    });
  }
}
