import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { associationInScope, interventionInScope, type AccessScope } from '@app/access/access-scope';
import { expandCounts, type PeriodCounts } from '@app/domain';
import type { GoalTargets } from './report-body';

export interface StoredResult {
  counts: PeriodCounts;
  computedAt: Date;
}

/** Reads of stored results: one row per scope and period, never a scan of raw enrolments. */
@Injectable()
export class ReportRepository {
  /** Stored results in one query (a report's period and the year before, an export's sheets), by `${scopeId}/${periodCode}`. */
  async results(
    m: EntityManager,
    scopeType: 'intervention' | 'association',
    keys: { scopeId: string; periodCode: string }[],
  ): Promise<Map<string, StoredResult>> {
    if (keys.length === 0) return new Map();
    const rows: {
      scope_id: string;
      period_code: string;
      counts: Record<string, unknown>;
      computed_at: Date;
    }[] = await m.query(
      `SELECT r.scope_id, r.period_code, r.counts, r.computed_at
           FROM unnest($2::uuid[], $3::text[]) AS k(scope_id, period_code)
           JOIN period_result r ON r.scope_type = $1 AND r.scope_id = k.scope_id AND r.period_code = k.period_code`,
      [scopeType, keys.map((k) => k.scopeId), keys.map((k) => k.periodCode)],
    );
    return new Map(
      rows.map((r) => [
        `${r.scope_id}/${r.period_code}`,
        { counts: expandCounts(r.counts), computedAt: r.computed_at },
      ]),
    );
  }

  /** Which of the interventions have a recompute pending for the year (any year: null). */
  async pendingInterventions(
    m: EntityManager,
    interventionIds: string[],
    year: number | null,
  ): Promise<Set<string>> {
    const rows: { intervention_id: string }[] = await m.query(
      `SELECT DISTINCT intervention_id FROM aggregation_dirty
        WHERE intervention_id = ANY($1::uuid[]) AND ($2::int IS NULL OR year = $2)`,
      [interventionIds, year],
    );
    return new Set(rows.map((r) => r.intervention_id));
  }

  /** Each intervention's own goals for the year. */
  async goalsOfEach(
    m: EntityManager,
    interventionIds: string[],
    year: number,
  ): Promise<Map<string, GoalTargets>> {
    const rows: {
      intervention_id: string;
      participants: number | null;
      new_participants: number | null;
      sws: number | null;
      soi: number | null;
    }[] = await m.query(
      `SELECT intervention_id, participants, new_participants, share_work_or_studies::float8 AS sws,
              share_ordinary_intervention::float8 AS soi
         FROM intervention_goal WHERE intervention_id = ANY($1::uuid[]) AND year = $2`,
      [interventionIds, year],
    );
    return new Map(
      rows.map((r) => [
        r.intervention_id,
        {
          participants: r.participants,
          newParticipants: r.new_participants,
          shareWorkOrStudies: r.sws,
          shareOrdinaryIntervention: r.soi,
        },
      ]),
    );
  }

  /** The years with a recompute pending for any insats of the association (one read for many periods). */
  async pendingYears(m: EntityManager, associationId: string): Promise<Set<number>> {
    const rows: { year: number }[] = await m.query(
      `SELECT DISTINCT d.year FROM aggregation_dirty d JOIN intervention i ON i.id = d.intervention_id
        WHERE i.association_id = $1`,
      [associationId],
    );
    return new Set(rows.map((r) => r.year));
  }

  /** Whether a recompute is pending that affects the scope's results for the year (any year: null). */
  async pending(
    m: EntityManager,
    scope: { interventionId?: string; associationId?: string },
    year: number | null,
  ): Promise<boolean> {
    const rows = await m.query(
      `SELECT 1 FROM aggregation_dirty d JOIN intervention i ON i.id = d.intervention_id
        WHERE ($1::uuid IS NULL OR d.intervention_id = $1) AND ($2::uuid IS NULL OR i.association_id = $2)
          AND ($3::int IS NULL OR d.year = $3) LIMIT 1`,
      [scope.interventionId ?? null, scope.associationId ?? null, year],
    );
    return rows.length > 0;
  }

  async goals(m: EntityManager, interventionIds: string[], year: number): Promise<GoalTargets | null> {
    return (await this.goalsByYear(m, interventionIds, [year])).get(year) ?? null;
  }

  /**
   * The goals of a set of insatser for each of several years, added up (a share only when the set is one
   * insats: shares of different insatser do not add). Years without any goal are absent.
   */
  async goalsByYear(
    m: EntityManager,
    interventionIds: string[],
    years: number[],
  ): Promise<Map<number, GoalTargets>> {
    const rows: {
      year: number;
      participants: number | null;
      new_participants: number | null;
      sws: number | null;
      soi: number | null;
    }[] = await m.query(
      `SELECT year, sum(participants)::int AS participants, sum(new_participants)::int AS new_participants,
              CASE WHEN count(*) = 1 THEN max(share_work_or_studies)::float8 END AS sws,
              CASE WHEN count(*) = 1 THEN max(share_ordinary_intervention)::float8 END AS soi
         FROM intervention_goal WHERE intervention_id = ANY($1::uuid[]) AND year = ANY($2::int[])
        GROUP BY year`,
      [interventionIds, years],
    );
    return new Map(
      rows.map((r) => [
        r.year,
        {
          participants: r.participants,
          newParticipants: r.new_participants,
          shareWorkOrStudies: r.sws,
          shareOrdinaryIntervention: r.soi,
        },
      ]),
    );
  }

  /**
   * Associations the last full rebuild could not build, limited to those the caller may see (null: all).
   * The message is the database's or the code's, without any row data.
   */
  async lastRebuildFailures(
    m: EntityManager,
    associationIds: readonly string[] | null,
  ): Promise<{ associationId: string; message: string }[]> {
    const rows: { associationId: string; message: string }[] = await m.query(
      `SELECT f->>'associationId' AS "associationId", f->>'message' AS message
         FROM (SELECT failures FROM aggregation_run WHERE kind = 'rebuild' ORDER BY finished_at DESC LIMIT 1) r,
              jsonb_array_elements(r.failures) f
        WHERE $1::uuid[] IS NULL OR (f->>'associationId')::uuid = ANY($1::uuid[])`,
      [associationIds],
    );
    return rows;
  }

  /**
   * Aggregation progress within the caller's scope: dirty marks and recompute runs of interventions and
   * associations it may see (whole-installation rebuilds are shown to everyone, they carry no association's data).
   */
  async status(m: EntityManager, scope: AccessScope) {
    const params: unknown[] = [];
    const inScope = interventionInScope(scope, 'i', params);
    const associationVisible = associationInScope(scope, 'a', params);
    const [row] = await m.query(
      `SELECT (SELECT count(*)::int FROM aggregation_dirty d JOIN intervention i ON i.id = d.intervention_id
                WHERE ${inScope}) AS pending,
              (SELECT min(d.marked_at) FROM aggregation_dirty d JOIN intervention i ON i.id = d.intervention_id
                WHERE ${inScope}) AS oldest,
              (SELECT max(r.finished_at) FROM aggregation_run r
                WHERE r.kind = 'rebuild'
                   OR (r.kind = 'recompute'
                       AND (EXISTS (SELECT 1 FROM intervention i WHERE i.id = r.scope_id AND ${inScope})
                            OR EXISTS (SELECT 1 FROM association a WHERE a.id = r.scope_id AND ${associationVisible})))) AS last_completed,
              (SELECT max(finished_at) FROM aggregation_run WHERE kind = 'rebuild') AS last_rebuild`,
      params,
    );
    return row as {
      pending: number;
      oldest: Date | null;
      last_completed: Date | null;
      last_rebuild: Date | null;
    };
  }
}
