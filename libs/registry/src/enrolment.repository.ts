import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { interventionInScope, type AccessScope } from '@app/access/access-scope';
import {
  exitCategoryOf,
  type AgeBand,
  type EducationLevel,
  type ExitReason,
  type Gender,
  type IncomeSupport,
  type ReferringParty,
} from '@app/domain';
import type { EnrolmentView } from './enrolment.dto';

export interface EnrolmentRecord {
  id: string;
  interventionId: string;
  associationId: string;
  participantId: string;
  participantCode: string;
  startedOn: string;
  referringParty: ReferringParty;
  gender: Gender;
  ageBand: AgeBand;
  municipality: string;
  educationLevel: EducationLevel;
  incomeSupportAtStart: IncomeSupport[];
  exitedOn: string | null;
  exitReason: ExitReason | null;
  incomeSupportAtExit: IncomeSupport[] | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The writable attributes of an enrolment, as stored. */
export type EnrolmentFields = Omit<
  EnrolmentRecord,
  'id' | 'interventionId' | 'associationId' | 'participantCode' | 'createdAt' | 'updatedAt'
>;

const SELECT = `
  SELECT e.id, e.intervention_id, i.association_id, e.participant_id, p.code AS participant_code,
         e.started_on::text AS started_on, e.referring_party, e.gender, e.age_band, e.municipality_code::text AS municipality,
         e.education_level, e.income_support_at_start, e.exited_on::text AS exited_on, e.exit_reason,
         e.income_support_at_exit, e.created_at, e.updated_at
    FROM enrolment e
    JOIN intervention i ON i.id = e.intervention_id
    JOIN participant p ON p.id = e.participant_id`;

function toRecord(r: Record<string, unknown>): EnrolmentRecord {
  return {
    id: r.id as string,
    interventionId: r.intervention_id as string,
    associationId: r.association_id as string,
    participantId: r.participant_id as string,
    participantCode: r.participant_code as string,
    startedOn: r.started_on as string,
    referringParty: r.referring_party as ReferringParty,
    gender: r.gender as Gender,
    ageBand: r.age_band as AgeBand,
    municipality: r.municipality as string,
    educationLevel: r.education_level as EducationLevel,
    incomeSupportAtStart: r.income_support_at_start as IncomeSupport[],
    exitedOn: r.exited_on as string | null,
    exitReason: r.exit_reason as ExitReason | null,
    incomeSupportAtExit: r.income_support_at_exit as IncomeSupport[] | null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

export function enrolmentView(e: EnrolmentRecord): EnrolmentView {
  return {
    id: e.id,
    interventionId: e.interventionId,
    participantCode: e.participantCode,
    status: e.exitedOn ? 'exited' : 'open',
    startedOn: e.startedOn,
    referringParty: e.referringParty,
    gender: e.gender,
    ageBand: e.ageBand,
    municipality: e.municipality,
    educationLevel: e.educationLevel,
    incomeSupportAtStart: e.incomeSupportAtStart,
    exitedOn: e.exitedOn,
    exitReason: e.exitReason,
    exitCategory: e.exitReason ? exitCategoryOf(e.exitReason) : null,
    incomeSupportAtExit: e.incomeSupportAtExit,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** Named queries over enrolments. Every read and write is limited to the caller's scope in SQL. */
@Injectable()
export class EnrolmentRepository {
  /** A live (not withdrawn) enrolment in scope, optionally locked for an update in this transaction. */
  async findInScope(
    m: EntityManager,
    scope: AccessScope,
    id: string,
    lock = false,
  ): Promise<EnrolmentRecord | null> {
    const params: unknown[] = [id];
    const rows = await m.query(
      `${SELECT} WHERE e.id = $1 AND e.removed_at IS NULL AND ${interventionInScope(scope, 'i', params)}
       ${lock ? 'FOR UPDATE OF e' : ''}`,
      params,
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async exists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query(`SELECT 1 FROM enrolment WHERE id = $1 AND removed_at IS NULL`, [id])).length > 0;
  }

  async list(
    m: EntityManager,
    scope: AccessScope,
    interventionId: string,
    filter: { status?: 'open' | 'exited'; participantCode?: string; page: number; pageSize: number },
  ): Promise<{ items: EnrolmentRecord[]; total: number }> {
    const params: unknown[] = [interventionId];
    const where = ['e.intervention_id = $1', 'e.removed_at IS NULL', interventionInScope(scope, 'i', params)];
    if (filter.status === 'open') where.push('e.exited_on IS NULL');
    if (filter.status === 'exited') where.push('e.exited_on IS NOT NULL');
    if (filter.participantCode) {
      // By the (association, code) key, then the participant index: no join over all participants.
      params.push(filter.participantCode);
      where.push(
        `e.participant_id = (SELECT p.id FROM participant p WHERE p.association_id = i.association_id AND p.code = $${params.length})`,
      );
    }
    const condition = where.join(' AND ');
    // The intervention is one row (its id is given); the count needs no participant at all.
    const [{ total }] = await m.query(
      `SELECT count(*)::int AS total FROM enrolment e JOIN intervention i ON i.id = e.intervention_id WHERE ${condition}`,
      params,
    );
    params.push(filter.pageSize, (filter.page - 1) * filter.pageSize);
    // Each code is looked up by primary key for this intervention's rows only (a subquery in the select
    // list is not turned into a join), instead of hash-joining every participant of the association.
    const rows = await m.query(
      `SELECT e.id, e.intervention_id, i.association_id, e.participant_id,
              (SELECT p.code FROM participant p WHERE p.id = e.participant_id) AS participant_code,
              e.started_on::text AS started_on, e.referring_party, e.gender, e.age_band,
              e.municipality_code::text AS municipality, e.education_level, e.income_support_at_start,
              e.exited_on::text AS exited_on, e.exit_reason, e.income_support_at_exit, e.created_at, e.updated_at
         FROM enrolment e JOIN intervention i ON i.id = e.intervention_id
        WHERE ${condition} ORDER BY e.started_on DESC, participant_code, e.id
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return { items: rows.map(toRecord), total };
  }

  /** The participant's id for this pseudonymous code in the association, created on first use. */
  async participantId(m: EntityManager, associationId: string, code: string): Promise<string> {
    const rows = await m.query(
      `INSERT INTO participant (association_id, code) VALUES ($1, $2)
       ON CONFLICT (association_id, code) DO UPDATE SET code = EXCLUDED.code RETURNING id`,
      [associationId, code],
    );
    return rows[0].id;
  }

  async hasOpenEnrolment(
    m: EntityManager,
    interventionId: string,
    participantId: string,
    exceptId?: string,
  ): Promise<boolean> {
    const rows = await m.query(
      `SELECT 1 FROM enrolment WHERE intervention_id = $1 AND participant_id = $2 AND exited_on IS NULL
          AND removed_at IS NULL AND id IS DISTINCT FROM $3`,
      [interventionId, participantId, exceptId ?? null],
    );
    return rows.length > 0;
  }

  async insert(m: EntityManager, interventionId: string, f: EnrolmentFields): Promise<string> {
    const rows = await m.query(
      `INSERT INTO enrolment (intervention_id, participant_id, started_on, referring_party, gender, age_band,
                              municipality_code, education_level, income_support_at_start, exited_on, exit_reason,
                              income_support_at_exit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [interventionId, ...this.values(f)],
    );
    return rows[0].id;
  }

  async update(m: EntityManager, id: string, f: EnrolmentFields): Promise<void> {
    await m.query(
      `UPDATE enrolment SET participant_id = $2, started_on = $3, referring_party = $4, gender = $5, age_band = $6,
              municipality_code = $7, education_level = $8, income_support_at_start = $9, exited_on = $10,
              exit_reason = $11, income_support_at_exit = $12, updated_at = now()
        WHERE id = $1`,
      [id, ...this.values(f)],
    );
  }

  async markRemoved(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE enrolment SET removed_at = now(), updated_at = now() WHERE id = $1`, [id]);
  }

  private values(f: EnrolmentFields): unknown[] {
    return [
      f.participantId,
      f.startedOn,
      f.referringParty,
      f.gender,
      f.ageBand,
      f.municipality,
      f.educationLevel,
      f.incomeSupportAtStart,
      f.exitedOn,
      f.exitReason,
      f.incomeSupportAtExit,
    ];
  }
}
