import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { PoolClient } from 'pg';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { AggregationOutbox } from '@app/aggregation/aggregation-outbox';
import { canSeeIntervention, type AccessScope } from '@app/access/access-scope';
import { ScopeRepository } from '@app/auth/scope.repository';
import { AuditService } from '@app/audit/audit.service';
import { todayInStockholm, yearsTouched, type InterventionKind } from '@app/domain';
import type { ImportJobData } from '@app/queue/queues';
import { AppConfig } from '@config/config.module';
import { columnName, mapColumns, type ColumnMap, type ImportField } from './import-columns';
import { estimateRows, readRows, UnreadableFileError } from './import-file';
import { importFailure, importProblem, type ImportFailure, type ImportProblem } from './import-problems';
import { ImportRowChecker, type ImportContext, type InterventionRef, type StagedRow } from './import-row';
import { normalise } from './import-values';
import { ImportsRepository, type ImportSummary, type StoredConflict } from './imports.repository';

// Problems kept for the uploader: enough to fix a file, bounded so a hopeless file cannot fill memory.
const MAX_PROBLEMS = 1000;
const STAGE_EVERY = 5000;
const ADVISORY_IMPORT = 727011;

/** The commit cannot go ahead; nothing was stored. */
class CommitRefused extends Error {
  constructor(
    readonly failure: ImportFailure,
    readonly problems: ImportProblem[] = [],
  ) {
    super(failure.message);
  }
}

/** The worker's half of an import: the dry run (validation) and the all-or-nothing commit. */
@Injectable()
export class ImportProcessingService {
  private readonly logger = new Logger(ImportProcessingService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: ImportsRepository,
    private readonly scopes: ScopeRepository,
    private readonly outbox: AggregationOutbox,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Reads every row, records every problem by row and column, stages the good rows; stores no enrolment. */
  async validate(job: Job<ImportJobData>): Promise<{ status: string }> {
    const m = this.dataSource.manager;
    const id = job.data.importId;
    const found = await this.imports.find(m, id);
    if (!found || found.status !== 'validating') return { status: found?.status ?? 'gone' };
    await this.imports.restartValidation(m, id);
    const scope = await this.scopes.currentScope(found.uploadedBy);
    const bytes = await this.imports.file(m, id);
    if (!scope || !bytes) {
      await this.imports.fail(
        m,
        id,
        importFailure({ code: scope ? 'file_gone' : 'uploader_inactive', params: {} }),
      );
      return { status: 'failed' };
    }
    const context = await this.context(m, scope, found.associationId);
    const started = Date.now();
    let stagingMs = 0;
    const maxRows = this.config.env.IMPORT_MAX_ROWS;
    // Known exactly only at the end; until then the line count of a CSV (quoted line breaks aside).
    const estimate = estimateRows(bytes);
    await this.imports.progress(m, id, estimate, 0);

    const problems: ImportProblem[] = [];
    let problemCount = 0;
    const add = (p: ImportProblem) => {
      problemCount++;
      if (problems.length < MAX_PROBLEMS) problems.push(p);
    };
    let columns: ColumnMap | null = null;
    let checker: ImportRowChecker | null = null;
    let rowNo = 0;
    let batch: StagedRow[] = [];
    // A connection of its own for COPY into the staging table.
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const client = (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
    let staging: Promise<void> = Promise.resolve();
    const stage = async (rows: StagedRow[], processed: number) => {
      const t = Date.now();
      await this.imports.stageRows(client, id, rows);
      stagingMs += Date.now() - t;
      await this.imports.progress(m, id, estimate, processed);
    };
    const fail = async (failure: ImportFailure, fileProblems: ImportProblem[] = []) => {
      await this.imports.fail(m, id, failure, fileProblems);
      return { status: 'failed' };
    };
    try {
      for await (const cells of readRows(bytes)) {
        rowNo++;
        if (!columns || !checker) {
          columns = mapColumns(cells);
          if (columns.problems.length > 0) {
            return fail(importFailure({ code: 'columns_not_recognised', params: {} }), columns.problems);
          }
          checker = new ImportRowChecker(columns, context);
          continue;
        }
        if (rowNo - 1 > maxRows) {
          await staging;
          return fail(importFailure({ code: 'too_many_rows', params: { max: maxRows } }));
        }
        const checked = checker.check(rowNo, cells);
        checked.problems.forEach(add);
        if (checked.row) batch.push(checked.row);
        if (batch.length >= STAGE_EVERY) {
          // PostgreSQL stores one batch while this process checks the next (two cores, not one after the
          // other); at most one batch in flight, so memory stays bounded.
          await staging;
          staging = stage(batch, rowNo - 1);
          // Handled here so a failure while the next rows are read is not an unhandled rejection; the
          // next `await staging` still throws it.
          staging.catch(() => undefined);
          batch = [];
        }
      }
      await staging;
      if (!columns) return fail(importFailure({ code: 'empty_file', params: {} }));
      if (rowNo < 2) return fail(importFailure({ code: 'no_data_rows', params: {} }));
      await this.imports.stageRows(client, id, batch);
    } catch (error) {
      // A batch still in flight must end before its connection goes back to the pool.
      await staging.catch(() => undefined);
      if (error instanceof UnreadableFileError) return fail(error.failure);
      throw error;
    } finally {
      await runner.release();
    }
    const read = Date.now();

    await this.imports.classify(m, id, found.associationId);
    for (const c of await this.imports.storedConflicts(m, id)) add(this.problemOf(c, columns.heading));
    // Counts and timings only: never a cell of the file.
    this.logger.log(
      `Import ${id}: ${rowNo - 1} rows checked in ${read - started} ms (staging ${stagingMs} ms), matched in ${Date.now() - read} ms, ${problemCount} problems`,
    );
    problems.sort((a, b) => a.row - b.row);
    const summary = await this.imports.summary(m, id);
    await this.imports.finishValidation(m, id, {
      status: 'validated',
      rows: rowNo - 1,
      problems,
      problemCount,
      headings: columns.heading as Record<string, string>,
      summary,
      error: null,
    });
    if (problemCount > 0) await m.query(`DELETE FROM import_row WHERE import_id = $1`, [id]);
    return { status: 'validated' };
  }

  /** Stores every staged row or none, with the dirty marks of every (insats, year) it changes and one audit row. */
  async commit(job: Job<ImportJobData>): Promise<{ status: string; summary?: ImportSummary }> {
    const m = this.dataSource.manager;
    const id = job.data.importId;
    const found = await this.imports.find(m, id);
    if (!found || found.status !== 'committing') return { status: found?.status ?? 'gone' };
    const touched = new Map<string, number[]>();
    const committing = Date.now();
    try {
      const summary = await this.dataSource.transaction(async (tx) => {
        // Imports of one association in turn: two files must not both create the same enrolment.
        await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [
          ADVISORY_IMPORT,
          found.associationId,
        ]);
        const locked = await this.imports.find(tx, id, true);
        if (!locked || locked.status !== 'committing') return null;
        const scope = await this.scopes.currentScope(found.uploadedBy);
        if (!scope) throw new CommitRefused(importFailure({ code: 'uploader_inactive', params: {} }));
        if (!scope.allAssociations && !scope.associationIds.includes(found.associationId)) {
          throw new CommitRefused(importFailure({ code: 'association_out_of_scope', params: {} }));
        }
        const allowed = scope.role === 'coordinator' ? [...scope.interventionIds] : null;
        const outside = await this.imports.rowsOutOfScope(tx, id, allowed);
        if (outside > 0) {
          throw new CommitRefused(importFailure({ code: 'rows_out_of_scope', params: { count: outside } }));
        }
        // Matched again only if the association's enrolments may have changed since the dry run.
        const recheck =
          !found.validatedAt || (await this.imports.changedSince(tx, found.associationId, found.validatedAt));
        if (recheck) {
          await this.imports.classify(tx, id, found.associationId);
          const conflicts = await this.imports.storedConflicts(tx, id);
          if (conflicts.length > 0) {
            throw new CommitRefused(
              importFailure({ code: 'enrolments_changed', params: {} }),
              conflicts.map((c) => this.problemOf(c, found.headings)),
            );
          }
        }
        const t0 = Date.now();
        await this.imports.insertParticipants(tx, id, found.associationId);
        const t1 = Date.now();
        await this.imports.applyExits(tx, id);
        await this.imports.insertEnrolments(tx, id, found.associationId);
        this.logger.log(
          `Import ${id}: ${recheck ? 'matched again, ' : ''}participants ${t1 - t0} ms, enrolments ${Date.now() - t1} ms`,
        );
        const result = await this.imports.summary(tx, id);
        const today = todayInStockholm();
        for (const span of await this.imports.changedSpans(tx, id)) {
          const years = yearsTouched(span.startedOn, span.exitedOn, today);
          touched.set(span.interventionId, years);
          await this.outbox.mark(tx, span.interventionId, years);
        }
        // One audit row with counts: never participant codes or attributes.
        await this.audit.record(tx, scope, {
          action: 'import',
          entityType: 'import',
          entityId: id,
          associationId: found.associationId,
          details: { rows: found.rows, ...result, interventions: touched.size },
        });
        await this.imports.finishCommit(tx, id, result);
        return result;
      });
      for (const [interventionId, years] of touched) this.outbox.trigger(interventionId, years);
      if (summary)
        this.logger.log(
          `Import ${id} committed in ${Date.now() - committing} ms: ${JSON.stringify(summary)}`,
        );
      return summary ? { status: 'done', summary } : { status: 'skipped' };
    } catch (error) {
      if (error instanceof CommitRefused) {
        await this.imports.fail(m, id, error.failure, error.problems);
        return { status: 'failed' };
      }
      // A row the database refuses (a constraint) will be refused again: fail now rather than retry.
      const constraint =
        error instanceof QueryFailedError && String((error as { code?: string }).code).startsWith('23');
      const final = constraint || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!final) throw error;
      this.logger.error({ err: error, importId: id }, 'Import commit failed');
      await this.imports.fail(
        m,
        id,
        importFailure({ code: constraint ? 'rows_refused' : 'commit_failed', params: {} }),
      );
      return { status: 'failed' };
    }
  }

  private problemOf(c: StoredConflict, headings: Partial<Record<ImportField, string>>): ImportProblem {
    return importProblem(
      c.rowNo,
      columnName({ heading: headings, index: {}, problems: [] }, c.field),
      c.detail,
    );
  }

  private async context(m: EntityManager, scope: AccessScope, associationId: string): Promise<ImportContext> {
    const rows: {
      id: string;
      name: string;
      starts_on: string;
      ends_on: string | null;
      kind: InterventionKind;
    }[] = await m.query(
      `SELECT id, name, starts_on::text AS starts_on, ends_on::text AS ends_on, kind FROM intervention
          WHERE association_id = $1 ORDER BY created_at`,
      [associationId],
    );
    const interventions = new Map<string, InterventionRef>();
    for (const r of rows) {
      const ref: InterventionRef = {
        id: r.id,
        name: r.name,
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        kind: r.kind,
        inScope: canSeeIntervention(scope, { id: r.id, associationId }),
      };
      interventions.set(r.id, ref);
      if (!interventions.has(normalise(r.name))) interventions.set(normalise(r.name), ref);
    }
    const municipalities = new Map<string, string>();
    for (const r of (await m.query(`SELECT code::text AS code, name FROM municipality`)) as {
      code: string;
      name: string;
    }[]) {
      municipalities.set(r.code, r.code);
      municipalities.set(normalise(r.name), r.code);
      municipalities.set(normalise(`${r.name} kommun`), r.code);
      // "Nynäshamns kommun": the genitive, except for names already ending in s ("Borås kommun").
      municipalities.set(normalise(`${r.name}s kommun`), r.code);
    }
    return { today: todayInStockholm(), interventions, municipalities };
  }
}
