import { Injectable } from '@nestjs/common';
import { QueryFailedError, type EntityManager } from 'typeorm';
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

/** An enrolment's own columns as read, in SELECT and in RETURNING (`e` is the enrolment). */
const COLUMNS = `e.id, e.intervention_id, e.participant_id, e.started_on::text AS started_on, e.referring_party,
         e.gender, e.age_band, e.municipality_code::text AS municipality, e.education_level,
         e.income_support_at_start, e.exited_on::text AS exited_on, e.exit_reason, e.income_support_at_exit,
         e.created_at, e.updated_at`;

const SELECT = `
  SELECT ${COLUMNS}, i.association_id, p.code AS participant_code
    FROM enrolment e
    JOIN intervention i ON i.id = e.intervention_id
    JOIN participant p ON p.id = e.participant_id`;

/** The participant ($1 association, $2 pseudonymous code), created on first use: returns its id. */
const UPSERT_PARTICIPANT = `INSERT INTO participant (association_id, code) VALUES ($1, $2)
  ON CONFLICT (association_id, code) DO UPDATE SET code = EXCLUDED.code RETURNING id`;

/** The partial unique index that allows one open enrolment per participant and insats. */
const ONE_OPEN = 'enrolment_one_open_per_participant';

/** A participant who already has an open enrolment in the insats (the unique index answers, race-free). */
export class OpenEnrolmentExists extends Error {
  constructor() {
    super('the participant already has an open enrolment in this intervention');
  }
}

/** Runs a write; a violation of the one-open-enrolment index becomes OpenEnrolmentExists. */
async function oneOpen<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const pg =
      error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : {};
    if (pg.code === '23505' && pg.constraint === ONE_OPEN) throw new OpenEnrolmentExists();
    throw error;
  }
}

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

  /**
   * A page of an insats' enrolments in the caller's scope, and how many match in all. One query: the total
   * comes with every row (a window count over the rows that match); only a page past the end counts apart.
   */
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
    const countParams = [...params];
    const offset = (filter.page - 1) * filter.pageSize;
    params.push(filter.pageSize, offset);
    // The page is ordered by start (newest first), then participant code. Codes are looked up by primary key
    // (a subquery in the select list is not turned into a join over every participant of the association), and
    // only for the rows that can be on the page: the first offset + pageSize by start, with those tied on the
    // last start. The total is counted over every matching row before that cut (a window count).
    const rows: Record<string, unknown>[] = await m.query(
      `WITH candidates AS (
         SELECT e.*, i.association_id, (count(*) OVER ())::int AS total
           FROM enrolment e JOIN intervention i ON i.id = e.intervention_id
          WHERE ${condition}
          ORDER BY e.started_on DESC
          FETCH FIRST ($${params.length - 1}::int + $${params.length}::int) ROWS WITH TIES)
       SELECT ${COLUMNS}, e.association_id, e.total,
              (SELECT p.code FROM participant p WHERE p.id = e.participant_id) AS participant_code
         FROM candidates e
        ORDER BY e.started_on DESC, participant_code, e.id
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    if (rows.length > 0 || offset === 0)
      return { items: rows.map(toRecord), total: (rows[0]?.total as number | undefined) ?? 0 };
    // The intervention is one row (its id is given); the count needs no participant at all.
    const [{ total }] = await m.query(
      `SELECT count(*)::int AS total FROM enrolment e JOIN intervention i ON i.id = e.intervention_id WHERE ${condition}`,
      countParams,
    );
    return { items: [], total };
  }

  /** The participant's id for this pseudonymous code in the association, created on first use. */
  async participantId(m: EntityManager, associationId: string, code: string): Promise<string> {
    const rows = await m.query(UPSERT_PARTICIPANT, [associationId, code]);
    return rows[0].id;
  }

  /**
   * Registers an enrolment of the participant with this pseudonymous code, who is created on first use, in one
   * statement. Throws OpenEnrolmentExists if the participant already has an open enrolment in the insats.
   */
  async insert(
    m: EntityManager,
    intervention: { id: string; associationId: string },
    participantCode: string,
    f: Omit<EnrolmentFields, 'participantId'>,
  ): Promise<EnrolmentRecord> {
    const rows: Record<string, unknown>[] = await oneOpen(
      m.query(
        `WITH p AS (${UPSERT_PARTICIPANT})
         INSERT INTO enrolment AS e (intervention_id, participant_id, started_on, referring_party, gender, age_band,
                                     municipality_code, education_level, income_support_at_start, exited_on,
                                     exit_reason, income_support_at_exit)
         VALUES ($3, (SELECT id FROM p), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${COLUMNS}`,
        [intervention.associationId, participantCode, intervention.id, ...this.values(f)],
      ),
    );
    return toRecord({
      ...rows[0],
      association_id: intervention.associationId,
      participant_code: participantCode,
    });
  }

  /**
   * Writes an enrolment's attributes and returns it as stored (`of`: its association and the code of
   * `f.participantId`). Throws OpenEnrolmentExists if it would be a second open enrolment of the participant.
   */
  async update(
    m: EntityManager,
    id: string,
    f: EnrolmentFields,
    of: { associationId: string; participantCode: string },
  ): Promise<EnrolmentRecord> {
    const [rows]: [Record<string, unknown>[], number] = await oneOpen(
      m.query(
        `UPDATE enrolment e SET participant_id = $2, started_on = $3, referring_party = $4, gender = $5,
                age_band = $6, municipality_code = $7, education_level = $8, income_support_at_start = $9,
                exited_on = $10, exit_reason = $11, income_support_at_exit = $12, updated_at = now()
          WHERE e.id = $1 RETURNING ${COLUMNS}`,
        [id, f.participantId, ...this.values(f)],
      ),
    );
    return toRecord({ ...rows[0], association_id: of.associationId, participant_code: of.participantCode });
  }

  async markRemoved(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE enrolment SET removed_at = now(), updated_at = now() WHERE id = $1`, [id]);
  }

  /** The attributes in the order of the insert and update statements (after the participant). */
  private values(f: Omit<EnrolmentFields, 'participantId'>): unknown[] {
    return [
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
