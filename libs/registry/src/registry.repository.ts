import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { associationInScope, interventionInScope, type AccessScope } from '@app/access/access-scope';
import type {
  AssociationView,
  GoalsView,
  InterventionView,
  MemberOrganisationView,
  MunicipalityView,
} from './registry.dto';

const iso = (d: Date) => d.toISOString();

// pg returns `date` columns as strings via the type parser set in main (no time-zone shifting).
const INTERVENTION_COLUMNS = `
  i.id, i.association_id, i.name, i.description, i.starts_on::text AS starts_on, i.ends_on::text AS ends_on,
  i.created_at, i.kind,
  ARRAY(SELECT im.municipality_code::text FROM intervention_municipality im
         WHERE im.intervention_id = i.id ORDER BY 1) AS municipalities`;

interface InterventionRow {
  id: string;
  association_id: string;
  name: string;
  description: string | null;
  starts_on: string;
  ends_on: string | null;
  created_at: Date;
  municipalities: string[];
  kind: InterventionView['kind'];
}

function interventionView(r: InterventionRow): InterventionView {
  return {
    id: r.id,
    associationId: r.association_id,
    name: r.name,
    description: r.description,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    municipalities: r.municipalities,
    createdAt: iso(r.created_at),
    kind: r.kind,
  };
}

/** An insats with what a report needs of its association. */
export interface InterventionWithAssociation extends InterventionView {
  association: { id: string; name: string; disclosureThreshold: number };
}

/** Named queries over associations, interventions, goals and reference data. Reads take the caller's scope. */
@Injectable()
export class RegistryRepository {
  async insertAssociation(
    m: EntityManager,
    a: {
      name: string;
      organisationNumber: string | null;
      county: string | null;
      disclosureThreshold: number;
    },
  ): Promise<string> {
    const rows = await m.query(
      `INSERT INTO association (name, organisation_number, county, disclosure_threshold) VALUES ($1, $2, $3, $4)
       RETURNING id`,
      [a.name, a.organisationNumber, a.county, a.disclosureThreshold],
    );
    return rows[0].id;
  }

  async organisationNumberTaken(m: EntityManager, organisationNumber: string): Promise<boolean> {
    return (
      (await m.query(`SELECT 1 FROM association WHERE organisation_number = $1`, [organisationNumber]))
        .length > 0
    );
  }

  async listAssociations(m: EntityManager, scope: AccessScope, id?: string): Promise<AssociationView[]> {
    const params: unknown[] = [];
    const where = [associationInScope(scope, 'a', params)];
    if (id) {
      params.push(id);
      where.push(`a.id = $${params.length}`);
    }
    const rows = await m.query(
      `SELECT a.id, a.name, a.organisation_number, a.county, a.disclosure_threshold, a.created_at
         FROM association a WHERE ${where.join(' AND ')} ORDER BY a.name`,
      params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      name: r.name as string,
      organisationNumber: r.organisation_number as string | null,
      county: r.county as string | null,
      disclosureThreshold: r.disclosure_threshold as number,
      createdAt: iso(r.created_at as Date),
    }));
  }

  async associationExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query(`SELECT 1 FROM association WHERE id = $1`, [id])).length > 0;
  }

  async insertMemberOrganisation(
    m: EntityManager,
    associationId: string,
    o: { kind: string; name: string; municipality: string | null },
  ): Promise<string> {
    const rows = await m.query(
      `INSERT INTO member_organisation (association_id, kind, name, municipality_code) VALUES ($1, $2, $3, $4)
       RETURNING id`,
      [associationId, o.kind, o.name, o.municipality],
    );
    return rows[0].id;
  }

  async listMemberOrganisations(m: EntityManager, associationId: string): Promise<MemberOrganisationView[]> {
    const rows = await m.query(
      `SELECT id, association_id, kind, name, municipality_code::text AS municipality
         FROM member_organisation WHERE association_id = $1 ORDER BY kind, name`,
      [associationId],
    );
    return rows.map((r: Record<string, string | null>) => ({
      id: r.id!,
      associationId: r.association_id!,
      kind: r.kind as MemberOrganisationView['kind'],
      name: r.name!,
      municipality: r.municipality,
    }));
  }

  async unknownMunicipalities(m: EntityManager, codes: string[]): Promise<string[]> {
    const rows: { code: string }[] = await m.query(
      `SELECT x.code FROM unnest($1::text[]) AS x(code) WHERE NOT EXISTS (SELECT 1 FROM municipality WHERE code = x.code)`,
      [codes],
    );
    return rows.map((r) => r.code);
  }

  async listMunicipalities(m: EntityManager): Promise<MunicipalityView[]> {
    const rows = await m.query(`SELECT code::text, name, county_code::text FROM municipality ORDER BY code`);
    return rows.map((r: Record<string, string>) => ({
      code: r.code,
      name: r.name,
      countyCode: r.county_code,
    }));
  }

  async insertIntervention(
    m: EntityManager,
    i: {
      associationId: string;
      name: string;
      description: string | null;
      startsOn: string;
      endsOn: string | null;
      municipalities: string[];
      kind: InterventionView['kind'];
    },
  ): Promise<string> {
    const rows = await m.query(
      `INSERT INTO intervention (association_id, name, description, starts_on, ends_on, kind)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [i.associationId, i.name, i.description, i.startsOn, i.endsOn, i.kind],
    );
    const id: string = rows[0].id;
    await m.query(
      `INSERT INTO intervention_municipality (intervention_id, municipality_code) SELECT $1, unnest($2::text[])`,
      [id, i.municipalities],
    );
    return id;
  }

  async listInterventions(
    m: EntityManager,
    scope: AccessScope,
    filter: { id?: string; associationId?: string } = {},
  ): Promise<InterventionView[]> {
    return (await this.interventionRows(m, scope, filter, '')).map(interventionView);
  }

  /**
   * Insatser in the caller's scope with their association (its name and k), in one query: what a report
   * needs of its scope. Empty when none is in scope, whatever the reason (the caller then asks why).
   */
  async listInterventionsWithAssociation(
    m: EntityManager,
    scope: AccessScope,
    filter: { id?: string; associationId?: string },
  ): Promise<InterventionWithAssociation[]> {
    const params: unknown[] = [];
    const associationVisible = associationInScope(scope, 'a', params);
    const rows = await this.interventionRows(
      m,
      scope,
      filter,
      `JOIN association a ON a.id = i.association_id AND ${associationVisible}`,
      `, a.name AS association_name, a.disclosure_threshold`,
      params,
    );
    return rows.map((r) => ({
      ...interventionView(r),
      association: {
        id: r.association_id,
        name: r.association_name as string,
        disclosureThreshold: r.disclosure_threshold as number,
      },
    }));
  }

  private async interventionRows(
    m: EntityManager,
    scope: AccessScope,
    filter: { id?: string; associationId?: string },
    join: string,
    columns = '',
    params: unknown[] = [],
  ): Promise<(InterventionRow & Record<string, unknown>)[]> {
    const where = [interventionInScope(scope, 'i', params)];
    if (filter.id) {
      params.push(filter.id);
      where.push(`i.id = $${params.length}`);
    }
    if (filter.associationId) {
      params.push(filter.associationId);
      where.push(`i.association_id = $${params.length}`);
    }
    return m.query(
      `SELECT ${INTERVENTION_COLUMNS}${columns} FROM intervention i ${join} WHERE ${where.join(' AND ')} ORDER BY i.name`,
      params,
    );
  }

  async updateInterventionKind(m: EntityManager, id: string, kind: InterventionView['kind']): Promise<void> {
    await m.query(`UPDATE intervention SET kind = $2, updated_at = now() WHERE id = $1`, [id, kind]);
  }

  /** Live (not withdrawn) enrolments of an insats: a structural insats must have none. */
  async liveEnrolmentCount(m: EntityManager, interventionId: string): Promise<number> {
    const [row] = await m.query(
      `SELECT count(*)::int AS n FROM enrolment WHERE intervention_id = $1 AND removed_at IS NULL`,
      [interventionId],
    );
    return row.n;
  }

  async interventionExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query(`SELECT 1 FROM intervention WHERE id = $1`, [id])).length > 0;
  }

  async upsertGoals(
    m: EntityManager,
    interventionId: string,
    year: number,
    g: {
      participants: number | null;
      newParticipants: number | null;
      shareWorkOrStudies: number | null;
      shareOrdinaryIntervention: number | null;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO intervention_goal (intervention_id, year, participants, new_participants, share_work_or_studies,
                                      share_ordinary_intervention)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (intervention_id, year) DO UPDATE SET participants = EXCLUDED.participants,
         new_participants = EXCLUDED.new_participants, share_work_or_studies = EXCLUDED.share_work_or_studies,
         share_ordinary_intervention = EXCLUDED.share_ordinary_intervention, updated_at = now()`,
      [
        interventionId,
        year,
        g.participants,
        g.newParticipants,
        g.shareWorkOrStudies,
        g.shareOrdinaryIntervention,
      ],
    );
  }

  async findGoals(m: EntityManager, interventionId: string, year: number): Promise<GoalsView | null> {
    const rows = await m.query(
      `SELECT intervention_id, year, participants, new_participants, share_work_or_studies::float8 AS sws,
              share_ordinary_intervention::float8 AS soi
         FROM intervention_goal WHERE intervention_id = $1 AND year = $2`,
      [interventionId, year],
    );
    return rows[0] ? goalsView(rows[0]) : null;
  }

  /**
   * An insats' goals for the year through the caller's scope, in one query: all null where none are set;
   * undefined when the insats is not in the scope (or does not exist: the caller asks which).
   */
  async goalsInScope(
    m: EntityManager,
    scope: AccessScope,
    interventionId: string,
    year: number,
  ): Promise<GoalsView | undefined> {
    const params: unknown[] = [interventionId, year];
    const rows = await m.query(
      `SELECT i.id AS intervention_id, $2::int AS year, g.participants, g.new_participants,
              g.share_work_or_studies::float8 AS sws, g.share_ordinary_intervention::float8 AS soi
         FROM intervention i LEFT JOIN intervention_goal g ON g.intervention_id = i.id AND g.year = $2
        WHERE i.id = $1 AND ${interventionInScope(scope, 'i', params)}`,
      params,
    );
    return rows[0] ? goalsView(rows[0]) : undefined;
  }
}

function goalsView(r: {
  intervention_id: string;
  year: number;
  participants: number | null;
  new_participants: number | null;
  sws: number | null;
  soi: number | null;
}): GoalsView {
  return {
    interventionId: r.intervention_id,
    year: r.year,
    participants: r.participants,
    newParticipants: r.new_participants,
    shareWorkOrStudies: r.sws,
    shareOrdinaryIntervention: r.soi,
  };
}
