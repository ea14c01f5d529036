import { ForbiddenException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { AuditService } from '@app/audit/audit.service';
import { badField, conflictField } from '@app/http/field-errors.exception';
import type {
  AssociationView,
  CreateAssociationDto,
  CreateInterventionDto,
  CreateMemberOrganisationDto,
  GoalsView,
  InterventionView,
  MemberOrganisationView,
  MunicipalityView,
  PutGoalsDto,
  UpdateInterventionDto,
} from './registry.dto';
import { InterventionAccess } from './intervention-access';
import { RegistryRepository } from './registry.repository';

const DEFAULT_DISCLOSURE_THRESHOLD = 3;

/** Use cases for the association's register: associations, members, interventions and their goals. */
@Injectable()
export class RegistryService {
  private municipalities?: Promise<MunicipalityView[]>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryRepository,
    private readonly access: InterventionAccess,
    private readonly audit: AuditService,
  ) {}

  createAssociation(actor: AccessScope, dto: CreateAssociationDto): Promise<AssociationView> {
    return this.dataSource.transaction(async (tx) => {
      if (
        dto.organisationNumber &&
        (await this.registry.organisationNumberTaken(tx, dto.organisationNumber))
      ) {
        throw conflictField('organisationNumber', 'another association has this organisation number');
      }
      const id = await this.registry.insertAssociation(tx, {
        name: dto.name,
        organisationNumber: dto.organisationNumber ?? null,
        county: dto.county ?? null,
        disclosureThreshold: dto.disclosureThreshold ?? DEFAULT_DISCLOSURE_THRESHOLD,
      });
      await this.audit.record(tx, actor, {
        action: 'create',
        entityType: 'association',
        entityId: id,
        associationId: id,
        changedFields: Object.keys(dto),
        details: { name: dto.name },
      });
      return (await this.registry.listAssociations(tx, actor, id))[0];
    });
  }

  listAssociations(scope: AccessScope): Promise<AssociationView[]> {
    return this.registry.listAssociations(this.dataSource.manager, scope);
  }

  getAssociation(scope: AccessScope, id: string): Promise<AssociationView> {
    return this.access.requireAssociation(this.dataSource.manager, scope, id);
  }

  addMemberOrganisation(
    actor: AccessScope,
    associationId: string,
    dto: CreateMemberOrganisationDto,
  ): Promise<MemberOrganisationView> {
    return this.dataSource.transaction(async (tx) => {
      await this.access.requireAssociation(tx, actor, associationId);
      if (dto.kind === 'municipality' && !dto.municipality) {
        throw badField('municipality', 'is required when kind is municipality');
      }
      if (dto.kind !== 'municipality' && dto.municipality) {
        throw badField('municipality', 'is only given when kind is municipality');
      }
      if (dto.municipality && (await this.registry.unknownMunicipalities(tx, [dto.municipality])).length) {
        throw badField('municipality', `unknown SCB municipality code ${dto.municipality}`);
      }
      const id = await this.registry.insertMemberOrganisation(tx, associationId, {
        kind: dto.kind,
        name: dto.name,
        municipality: dto.municipality ?? null,
      });
      await this.audit.record(tx, actor, {
        action: 'create',
        entityType: 'member_organisation',
        entityId: id,
        associationId,
        changedFields: Object.keys(dto),
      });
      return (await this.registry.listMemberOrganisations(tx, associationId)).find((o) => o.id === id)!;
    });
  }

  async listMemberOrganisations(
    scope: AccessScope,
    associationId: string,
  ): Promise<MemberOrganisationView[]> {
    const m = this.dataSource.manager;
    await this.access.requireAssociation(m, scope, associationId);
    return this.registry.listMemberOrganisations(m, associationId);
  }

  /**
   * Municipalities are reference data, loaded into the database at start (reference-data.ts) and not changed
   * while the process runs: read once per process. A failed read is not kept; each caller gets its own array.
   */
  async listMunicipalities(): Promise<MunicipalityView[]> {
    this.municipalities ??= this.registry
      .listMunicipalities(this.dataSource.manager)
      .catch((error: unknown) => {
        this.municipalities = undefined;
        throw error;
      });
    return [...(await this.municipalities)];
  }

  createIntervention(actor: AccessScope, dto: CreateInterventionDto): Promise<InterventionView> {
    return this.dataSource.transaction(async (tx) => {
      if (!(await this.registry.associationExists(tx, dto.associationId))) {
        throw badField('associationId', 'no association has this id');
      }
      if (dto.endsOn && dto.endsOn < dto.startsOn) throw badField('endsOn', 'must not be before startsOn');
      const unknown = await this.registry.unknownMunicipalities(tx, dto.municipalities);
      if (unknown.length)
        throw badField('municipalities', `unknown SCB municipality codes: ${unknown.join(', ')}`);
      const id = await this.registry.insertIntervention(tx, {
        associationId: dto.associationId,
        name: dto.name,
        description: dto.description ?? null,
        startsOn: dto.startsOn,
        endsOn: dto.endsOn ?? null,
        municipalities: dto.municipalities,
        kind: dto.kind ?? 'individual',
      });
      await this.audit.record(tx, actor, {
        action: 'create',
        entityType: 'intervention',
        entityId: id,
        associationId: dto.associationId,
        interventionId: id,
        changedFields: Object.keys(dto),
        details: { name: dto.name },
      });
      return (await this.registry.listInterventions(tx, actor, { id }))[0];
    });
  }

  updateIntervention(actor: AccessScope, id: string, dto: UpdateInterventionDto): Promise<InterventionView> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.access.require(tx, actor, id);
      if (dto.kind !== undefined && dto.kind !== current.kind) {
        if (dto.kind === 'structural' && (await this.registry.liveEnrolmentCount(tx, id)) > 0) {
          throw conflictField(
            'kind',
            'the insats has enrolments; only an individual-oriented insats has participants',
          );
        }
        await this.registry.updateInterventionKind(tx, id, dto.kind);
      }
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'intervention',
        entityId: id,
        associationId: current.associationId,
        interventionId: id,
        changedFields: Object.keys(dto),
        details: { ...dto },
      });
      return (await this.registry.listInterventions(tx, actor, { id }))[0];
    });
  }

  listInterventions(scope: AccessScope, associationId?: string): Promise<InterventionView[]> {
    return this.registry.listInterventions(this.dataSource.manager, scope, { associationId });
  }

  getIntervention(scope: AccessScope, id: string): Promise<InterventionView> {
    return this.access.require(this.dataSource.manager, scope, id);
  }

  putGoals(actor: AccessScope, interventionId: string, year: number, dto: PutGoalsDto): Promise<GoalsView> {
    return this.dataSource.transaction(async (tx) => {
      const intervention = await this.access.require(tx, actor, interventionId);
      await this.registry.upsertGoals(tx, interventionId, year, {
        participants: dto.participants ?? null,
        newParticipants: dto.newParticipants ?? null,
        shareWorkOrStudies: dto.shareWorkOrStudies ?? null,
        shareOrdinaryIntervention: dto.shareOrdinaryIntervention ?? null,
      });
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'intervention_goal',
        entityId: `${interventionId}:${year}`,
        associationId: intervention.associationId,
        interventionId,
        changedFields: Object.keys(dto),
        details: { year, ...dto },
      });
      return (await this.registry.findGoals(tx, interventionId, year))!;
    });
  }

  async getGoals(scope: AccessScope, interventionId: string, year: number): Promise<GoalsView> {
    const m = this.dataSource.manager;
    const goals = await this.registry.goalsInScope(m, scope, interventionId, year);
    if (goals) return goals;
    await this.access.require(m, scope, interventionId); // 403 outside the scope, 404 for no such insats
    throw new ForbiddenException('This intervention is outside your scope');
  }
}
