import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import type { ImportErrorCode, ImportProblemDetail } from '@app/domain';
import type { ImportField } from './import-columns';
import { importFailure, type ImportFailure, type ImportProblem } from './import-problems';
import type { StagedRow } from './import-row';

export type ImportStatus = 'validating' | 'validated' | 'committing' | 'done' | 'failed';

export interface ImportSummary {
  created: number;
  exited: number;
  unchanged: number;
}

export interface ImportJobRow {
  id: string;
  associationId: string;
  uploadedBy: string;
  filename: string;
  status: ImportStatus;
  rows: number | null;
  processed: number;
  problemCount: number;
  problems: ImportProblem[];
  headings: Partial<Record<ImportField, string>>;
  summary: ImportSummary | null;
  /** Why it failed: the API's English, and the code and parameters the web words in Swedish. */
  error: string | null;
  errorCode: ImportErrorCode | null;
  errorParams: object | null;
  createdAt: Date;
  validatedAt: Date | null;
  finishedAt: Date | null;
}

/** A stored enrolment the file disagrees with, found in SQL over the staged rows. */
export interface StoredConflict {
  rowNo: number;
  field: ImportField;
  detail: ImportProblemDetail;
}

const JOB_COLUMNS = `id, association_id, uploaded_by, filename, status, rows, processed, problem_count, problems,
  headings, summary, error, error_code, error_params, created_at, validated_at, finished_at`;

function toJob(r: Record<string, unknown>): ImportJobRow {
  return {
    id: r.id as string,
    associationId: r.association_id as string,
    uploadedBy: r.uploaded_by as string,
    filename: r.filename as string,
    status: r.status as ImportStatus,
    rows: r.rows as number | null,
    processed: r.processed as number,
    problemCount: r.problem_count as number,
    problems: r.problems as ImportProblem[],
    headings: r.headings as ImportJobRow['headings'],
    summary: r.summary as ImportSummary | null,
    error: r.error as string | null,
    errorCode: r.error_code as ImportErrorCode | null,
    errorParams: r.error_params as object | null,
    createdAt: r.created_at as Date,
    validatedAt: r.validated_at as Date | null,
    finishedAt: r.finished_at as Date | null,
  };
}

const NULL = '\\N';

/** A value in COPY's text format: backslash, tab and line breaks escaped. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

/** Named queries of the import: the job row, its staged rows, and the set-based commit. */
@Injectable()
export class ImportsRepository {
  async insertJob(
    m: EntityManager,
    j: { associationId: string; uploadedBy: string; filename: string; file: Buffer },
  ): Promise<string> {
    const [row] = await m.query(
      `INSERT INTO import_job (association_id, uploaded_by, filename, file, file_size) VALUES ($1, $2, $3, $4, $5)
       RETURNING id`,
      [j.associationId, j.uploadedBy, j.filename, j.file, j.file.length],
    );
    return row.id;
  }

  /** The caller's own import (an admin: any); null when it is not theirs or does not exist. */
  async findVisible(
    m: EntityManager,
    id: string,
    userId: string,
    all: boolean,
  ): Promise<ImportJobRow | null> {
    const rows = await m.query(
      `SELECT ${JOB_COLUMNS} FROM import_job WHERE id = $1 AND ($3 OR uploaded_by = $2)`,
      [id, userId, all],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** The caller's latest imports (an admin: everyone's), newest first, without the problems. */
  async recentVisible(
    m: EntityManager,
    userId: string,
    all: boolean,
    limit: number,
  ): Promise<{ id: string; filename: string; status: string; associationId: string; createdAt: Date }[]> {
    return m.query(
      `SELECT id, filename, status, association_id AS "associationId", created_at AS "createdAt"
         FROM import_job WHERE ($2 OR uploaded_by = $1) ORDER BY created_at DESC LIMIT $3`,
      [userId, all, limit],
    );
  }

  async find(m: EntityManager, id: string, lock = false): Promise<ImportJobRow | null> {
    const rows = await m.query(
      `SELECT ${JOB_COLUMNS} FROM import_job WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async file(m: EntityManager, id: string): Promise<Buffer | null> {
    const [row] = await m.query(`SELECT file FROM import_job WHERE id = $1`, [id]);
    return row?.file ?? null;
  }

  async progress(m: EntityManager, id: string, rows: number | null, processed: number): Promise<void> {
    await m.query(`UPDATE import_job SET rows = $2, processed = $3, updated_at = now() WHERE id = $1`, [
      id,
      rows,
      processed,
    ]);
  }

  async restartValidation(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM import_row WHERE import_id = $1`, [id]);
    await m.query(
      `UPDATE import_job SET rows = NULL, processed = 0, problems = '[]', problem_count = 0, summary = NULL,
              updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  /** COPY into the staging table: the bulk path of PostgreSQL, one stream per batch, not a statement per row. */
  async stageRows(client: PoolClient, importId: string, rows: StagedRow[]): Promise<void> {
    if (rows.length === 0) return;
    const lines = rows.map(
      (r) =>
        [
          importId,
          r.rowNo,
          r.interventionId,
          copyText(r.participantCode),
          r.startedOn,
          r.referringParty,
          r.gender,
          r.ageBand,
          r.municipality,
          r.educationLevel,
          `{${r.incomeSupportAtStart.join(',')}}`,
          r.exitedOn ?? NULL,
          r.exitReason ?? NULL,
          r.incomeSupportAtExit ? `{${r.incomeSupportAtExit.join(',')}}` : NULL,
          // Until matched, a row creates its enrolment: classify then touches only the rows it matches.
          'create',
        ].join('\t') + '\n',
    );
    await pipeline(
      Readable.from([lines.join('')]),
      client.query(
        copyFrom(
          `COPY import_row (import_id, row_no, intervention_id, participant_code, started_on, referring_party, gender,
             age_band, municipality_code, education_level, income_support_at_start, exited_on, exit_reason,
             income_support_at_exit, outcome) FROM STDIN`,
        ),
      ),
    );
  }

  /**
   * Matches each staged row to the stored enrolment with its natural key (association, participant code,
   * insats, start date) and decides: create it, record its exit on the open enrolment, or leave it as is.
   * A withdrawn registration error with the key stays withdrawn (unchanged).
   */
  async classify(m: EntityManager, importId: string, associationId: string): Promise<void> {
    // Staged as 'create'; rows an earlier pass matched start over (a commit matches again after changes).
    await m.query(
      `UPDATE import_row SET participant_id = NULL, enrolment_id = NULL, outcome = 'create'
        WHERE import_id = $1 AND participant_id IS NOT NULL`,
      [importId],
    );
    // Then only rows whose participant exists are rewritten: a file of new participants rewrites none.
    // The participant by code, then its enrolment with the key (a live one before a withdrawn one).
    await m.query(
      `UPDATE import_row r SET participant_id = x.pid, enrolment_id = x.eid,
              outcome = CASE WHEN x.eid IS NULL THEN 'create'
                             WHEN x.removed_at IS NULL AND x.exited_on IS NULL AND r.exited_on IS NOT NULL THEN 'exit'
                             ELSE 'unchanged' END
         FROM (SELECT r0.row_no, p.id AS pid, e.id AS eid, e.removed_at, e.exited_on
                 FROM import_row r0
                 JOIN participant p ON p.association_id = $2 AND p.code = r0.participant_code
                 LEFT JOIN LATERAL (
                   SELECT e.id, e.removed_at, e.exited_on FROM enrolment e
                    WHERE e.participant_id = p.id AND e.intervention_id = r0.intervention_id
                      AND e.started_on = r0.started_on
                    ORDER BY e.removed_at IS NOT NULL LIMIT 1) e ON true
                WHERE r0.import_id = $1) x
        WHERE r.import_id = $1 AND r.row_no = x.row_no`,
      [importId, associationId],
    );
  }

  /** Rows that disagree with what is stored: other values under the same key, or a second open enrolment. */
  async storedConflicts(m: EntityManager, importId: string): Promise<StoredConflict[]> {
    const differing: { row_no: number; fields: ImportField[] }[] = await m.query(
      `SELECT r.row_no, array_remove(ARRAY[
                CASE WHEN e.referring_party <> r.referring_party THEN 'referringParty' END,
                CASE WHEN e.gender <> r.gender THEN 'gender' END,
                CASE WHEN e.age_band <> r.age_band THEN 'ageBand' END,
                CASE WHEN e.municipality_code <> r.municipality_code THEN 'municipality' END,
                CASE WHEN e.education_level <> r.education_level THEN 'educationLevel' END,
                CASE WHEN NOT (e.income_support_at_start @> r.income_support_at_start
                               AND e.income_support_at_start <@ r.income_support_at_start)
                     THEN 'incomeSupportAtStart' END,
                CASE WHEN e.exited_on IS NOT NULL AND r.exited_on IS NOT NULL AND e.exited_on <> r.exited_on
                     THEN 'exitedOn' END,
                CASE WHEN e.exited_on IS NOT NULL AND r.exited_on IS NOT NULL AND e.exit_reason <> r.exit_reason
                     THEN 'exitReason' END,
                CASE WHEN e.exited_on IS NOT NULL AND r.exited_on IS NOT NULL
                      AND NOT (e.income_support_at_exit @> r.income_support_at_exit
                               AND e.income_support_at_exit <@ r.income_support_at_exit)
                     THEN 'incomeSupportAtExit' END], NULL) AS fields
         FROM import_row r JOIN enrolment e ON e.id = r.enrolment_id
        WHERE r.import_id = $1 AND e.removed_at IS NULL`,
      [importId],
    );
    const conflicts: StoredConflict[] = [];
    for (const d of differing) {
      for (const field of d.fields) {
        conflicts.push({ rowNo: d.row_no, field, detail: { code: 'differs_from_stored', params: {} } });
      }
    }
    const open: { row_no: number; started_on: string }[] = await m.query(
      `SELECT r.row_no, e.started_on::text AS started_on
         FROM import_row r JOIN enrolment e ON e.participant_id = r.participant_id
          AND e.intervention_id = r.intervention_id AND e.exited_on IS NULL AND e.removed_at IS NULL
        WHERE r.import_id = $1 AND r.outcome = 'create' AND r.exited_on IS NULL
          AND NOT EXISTS (SELECT 1 FROM import_row x WHERE x.import_id = $1 AND x.enrolment_id = e.id AND x.outcome = 'exit')`,
      [importId],
    );
    for (const o of open) {
      conflicts.push({
        rowNo: o.row_no,
        field: 'participantCode',
        detail: { code: 'open_enrolment_stored', params: { startedOn: o.started_on } },
      });
    }
    return conflicts.sort((a, b) => a.rowNo - b.rowNo);
  }

  async summary(m: EntityManager, importId: string): Promise<ImportSummary> {
    const [row] = await m.query(
      `SELECT count(*) FILTER (WHERE outcome = 'create')::int AS created,
              count(*) FILTER (WHERE outcome = 'exit')::int AS exited,
              count(*) FILTER (WHERE outcome = 'unchanged')::int AS unchanged
         FROM import_row WHERE import_id = $1`,
      [importId],
    );
    return row;
  }

  async finishValidation(
    m: EntityManager,
    id: string,
    v: {
      status: 'validated' | 'failed';
      rows: number;
      problems: ImportProblem[];
      problemCount: number;
      headings: Record<string, string>;
      summary: ImportSummary | null;
      error: string | null;
    },
  ): Promise<void> {
    await m.query(
      `UPDATE import_job SET status = $2, rows = $3, processed = $3, problems = $4, problem_count = $5, headings = $6,
              summary = $7, error = $8, error_code = NULL, error_params = NULL, updated_at = now(),
              validated_at = now(),
              finished_at = CASE WHEN $2 = 'failed' THEN now() END,
              file = CASE WHEN $2 = 'failed' THEN NULL ELSE file END
        WHERE id = $1`,
      [
        id,
        v.status,
        v.rows,
        JSON.stringify(v.problems),
        v.problemCount,
        JSON.stringify(v.headings),
        v.summary && JSON.stringify(v.summary),
        v.error,
      ],
    );
    if (v.status === 'failed') await m.query(`DELETE FROM import_row WHERE import_id = $1`, [id]);
  }

  /** validated (and clean) → committing, atomically: a second commit request finds nothing to move. */
  async startCommit(m: EntityManager, id: string): Promise<boolean> {
    const [, count] = await m.query(
      `UPDATE import_job SET status = 'committing', processed = 0, updated_at = now()
        WHERE id = $1 AND status = 'validated' AND problem_count = 0`,
      [id],
    );
    return count > 0;
  }

  /** Staged rows whose insats the uploader may no longer write to, or that became structural. */
  async rowsOutOfScope(m: EntityManager, importId: string, allowed: string[] | null): Promise<number> {
    const [row] = await m.query(
      `SELECT count(*)::int AS n FROM import_row r JOIN intervention i ON i.id = r.intervention_id
        WHERE r.import_id = $1 AND (i.kind <> 'individual' OR NOT ($2::uuid[] IS NULL OR i.id = ANY($2)))`,
      [importId, allowed],
    );
    return row.n;
  }

  async insertParticipants(m: EntityManager, importId: string, associationId: string): Promise<void> {
    await m.query(
      `INSERT INTO participant (association_id, code)
       SELECT DISTINCT $2::uuid, participant_code FROM import_row
        -- Only codes the matching did not find (ON CONFLICT still covers one created meanwhile).
        WHERE import_id = $1 AND participant_id IS NULL
       ON CONFLICT (association_id, code) DO NOTHING`,
      [importId, associationId],
    );
  }

  /** Exits first: a file may close an enrolment and open the participant's next one in the same insats. */
  async applyExits(m: EntityManager, importId: string): Promise<void> {
    await m.query(
      `UPDATE enrolment e SET exited_on = r.exited_on, exit_reason = r.exit_reason,
              income_support_at_exit = r.income_support_at_exit, updated_at = now()
         FROM import_row r WHERE r.import_id = $1 AND r.outcome = 'exit' AND e.id = r.enrolment_id`,
      [importId],
    );
  }

  async insertEnrolments(m: EntityManager, importId: string, associationId: string): Promise<void> {
    await m.query(
      `INSERT INTO enrolment (intervention_id, participant_id, started_on, referring_party, gender, age_band,
                              municipality_code, education_level, income_support_at_start, exited_on, exit_reason,
                              income_support_at_exit)
       SELECT r.intervention_id, p.id, r.started_on, r.referring_party, r.gender, r.age_band, r.municipality_code,
              r.education_level, r.income_support_at_start, r.exited_on, r.exit_reason, r.income_support_at_exit
         FROM import_row r JOIN participant p ON p.association_id = $2 AND p.code = r.participant_code
        WHERE r.import_id = $1 AND r.outcome = 'create'`,
      [importId, associationId],
    );
  }

  /**
   * Whether the association's enrolments may have changed since `since` (validation): then the commit
   * matches the rows again. The margin covers a write whose transaction began before and committed after.
   */
  async changedSince(m: EntityManager, associationId: string, since: Date): Promise<boolean> {
    const [row] = await m.query(
      `SELECT EXISTS (SELECT 1 FROM enrolment e JOIN intervention i ON i.id = e.intervention_id
                       WHERE i.association_id = $1 AND e.updated_at > $2::timestamptz - interval '10 minutes')
              OR EXISTS (SELECT 1 FROM purged_period pp JOIN intervention i ON i.id = pp.intervention_id
                          WHERE i.association_id = $1 AND pp.purged_at > $2::timestamptz - interval '10 minutes')
              AS changed`,
      [associationId, since],
    );
    return row.changed;
  }

  /** The spans of the changed enrolments, grouped: what the dirty marks are computed from. */
  async changedSpans(
    m: EntityManager,
    importId: string,
  ): Promise<{ interventionId: string; startedOn: string; exitedOn: string | null }[]> {
    const rows: { i: string; s: string; x: string | null }[] = await m.query(
      `SELECT intervention_id AS i, min(started_on)::text AS s,
              CASE WHEN bool_or(outcome = 'exit' OR exited_on IS NULL) THEN NULL ELSE max(exited_on)::text END AS x
         FROM import_row WHERE import_id = $1 AND outcome IN ('create', 'exit') GROUP BY intervention_id`,
      [importId],
    );
    return rows.map((r) => ({ interventionId: r.i, startedOn: r.s, exitedOn: r.x }));
  }

  async finishCommit(m: EntityManager, id: string, summary: ImportSummary): Promise<void> {
    await m.query(
      `UPDATE import_job SET status = 'done', summary = $2, processed = COALESCE(rows, 0), file = NULL,
              finished_at = now(), updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(summary)],
    );
    await m.query(`DELETE FROM import_row WHERE import_id = $1`, [id]);
  }

  async fail(
    m: EntityManager,
    id: string,
    failure: ImportFailure,
    problems: ImportProblem[] = [],
  ): Promise<void> {
    await m.query(
      `UPDATE import_job SET status = 'failed', error = $2, error_code = $3, error_params = $4, problems = $5,
              problem_count = $6, file = NULL, finished_at = now(), updated_at = now() WHERE id = $1`,
      [
        id,
        failure.message,
        failure.code,
        JSON.stringify(failure.params),
        JSON.stringify(problems.slice(0, 1000)),
        problems.length,
      ],
    );
    await m.query(`DELETE FROM import_row WHERE import_id = $1`, [id]);
  }

  /** Imports the worker still owes work: their jobs are re-enqueued by the sweep if they were lost. */
  async unfinished(m: EntityManager): Promise<{ id: string; status: 'validating' | 'committing' }[]> {
    return m.query(
      `SELECT id, status FROM import_job WHERE status IN ('validating', 'committing') ORDER BY created_at LIMIT 500`,
    );
  }

  /** Validated imports never committed keep a copy of participant data: drop it after a while. */
  async discardStale(m: EntityManager, olderThanDays: number): Promise<number> {
    const failure = importFailure({ code: 'not_committed_in_time', params: {} });
    const [, count] = await m.query(
      `UPDATE import_job SET status = 'failed', error = $2, error_code = $3, error_params = $4, file = NULL,
              finished_at = now(), updated_at = now()
        WHERE status = 'validated' AND updated_at < now() - make_interval(days => $1)`,
      [olderThanDays, failure.message, failure.code, JSON.stringify(failure.params)],
    );
    await m.query(
      `DELETE FROM import_row r USING import_job j WHERE j.id = r.import_id AND j.status = 'failed'`,
    );
    return count;
  }
}
