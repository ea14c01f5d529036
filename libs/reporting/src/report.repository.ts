import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { associationInScope, interventionInScope, type AccessScope } from '@app/access/access-scope';
import { expandCounts, type PeriodCounts } from '@app/domain';
import { RESULT_VERSION } from './disclosure-facts.repository';
import type { GoalTargets } from './report-body';

export interface StoredResult {
  counts: PeriodCounts;
  computedAt: Date;
  /** The stored row's version (see RESULT_VERSION): what a masked body of it is cached under. */
  version: string;
}

/** What one report body reads: pending recomputes, stored results by `${scopeId}/${periodCode}`, goals. */
export interface ReportInputs {
  pending: boolean;
  stored: Map<string, StoredResult>;
  goals: GoalTargets | null;
}

/** The goals of a set of insatser added up (a share only when the set is one insats: shares do not add). */
const GOAL_SUMS = `sum(participants)::int AS participants, sum(new_participants)::int AS new_participants,
              CASE WHEN count(*) = 1 THEN max(share_work_or_studies)::float8 END AS sws,
              CASE WHEN count(*) = 1 THEN max(share_ordinary_intervention)::float8 END AS soi`;

interface GoalRow {
  participants: number | null;
  new_participants: number | null;
  sws: number | null;
  soi: number | null;
}

/** A stored result (alias r) as a JSON object: what `storedOf` reads back. */
const RESULT_JSON = `json_build_object('s', r.scope_id, 'p', r.period_code, 'c', r.counts, 't', r.computed_at,
                                       'v', ${RESULT_VERSION})`;

interface ResultJson {
  s: string;
  p: string;
  c: Record<string, unknown>;
  t: string;
  v: string;
}

/** Stored results read as RESULT_JSON, by `${scopeId}/${periodCode}`. */
const storedOf = (rows: ResultJson[] | null): Map<string, StoredResult> =>
  new Map(
    (rows ?? []).map((r) => [
      `${r.s}/${r.p}`,
      { counts: expandCounts(r.c), computedAt: new Date(r.t), version: r.v },
    ]),
  );

const goalTargets = (r: GoalRow): GoalTargets => ({
  participants: r.participants,
  newParticipants: r.new_participants,
  shareWorkOrStudies: r.sws,
  shareOrdinaryIntervention: r.soi,
});

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
      v: string;
    }[] = await m.query(
      `SELECT r.scope_id, r.period_code, r.counts, r.computed_at, ${RESULT_VERSION} AS v
           FROM unnest($2::uuid[], $3::text[]) AS k(scope_id, period_code)
           JOIN period_result r ON r.scope_type = $1 AND r.scope_id = k.scope_id AND r.period_code = k.period_code`,
      [scopeType, keys.map((k) => k.scopeId), keys.map((k) => k.periodCode)],
    );
    return new Map(
      rows.map((r) => [
        `${r.scope_id}/${r.period_code}`,
        { counts: expandCounts(r.counts), computedAt: r.computed_at, version: r.v },
      ]),
    );
  }

  /**
   * Everything one report body reads, in one statement and so in one snapshot: whether a recompute is pending
   * for the scope's results of the year (any year: null), its stored results of the periods, and its insatser's
   * goals for the year added up. In one snapshot "nothing pending" always describes the results read with it.
   */
  async reportInputs(
    m: EntityManager,
    scope: { type: 'intervention' | 'association'; id: string; interventionIds: string[] },
    periodCodes: string[],
    year: number | null,
  ): Promise<ReportInputs> {
    const [row]: { pending: boolean; results: ResultJson[] | null; goals: GoalRow | null }[] = await m.query(
      `SELECT EXISTS (SELECT 1 FROM aggregation_dirty d JOIN intervention i ON i.id = d.intervention_id
                       WHERE ${scope.type === 'intervention' ? 'd.intervention_id' : 'i.association_id'} = $2
                         AND ($4::int IS NULL OR d.year = $4)) AS pending,
              (SELECT json_agg(${RESULT_JSON}) FROM period_result r
                WHERE r.scope_type = $1 AND r.scope_id = $2 AND r.period_code = ANY($3::text[])) AS results,
              (SELECT to_json(g) FROM (SELECT ${GOAL_SUMS} FROM intervention_goal
                                        WHERE intervention_id = ANY($5::uuid[]) AND year = $4 GROUP BY year) g) AS goals`,
      [scope.type, scope.id, periodCodes, year, scope.interventionIds],
    );
    return {
      pending: row.pending,
      stored: storedOf(row.results),
      goals: row.goals && goalTargets(row.goals),
    };
  }

  /**
   * As `reportInputs` for several insatser at once (an export's sheets, a dashboard's insatser), in one
   * statement: which have a recompute pending for the year (any year: null), the stored results asked for,
   * and each insats' own goals for the year.
   */
  async reportInputsOfEach(
    m: EntityManager,
    interventionIds: string[],
    keys: { scopeId: string; periodCode: string }[],
    year: number | null,
  ): Promise<{ pending: Set<string>; stored: Map<string, StoredResult>; goals: Map<string, GoalTargets> }> {
    const [row]: {
      pending: string[] | null;
      results: ResultJson[] | null;
      goals: (GoalRow & { intervention_id: string })[] | null;
    }[] = await m.query(
      `SELECT (SELECT array_agg(DISTINCT d.intervention_id) FROM aggregation_dirty d
                WHERE d.intervention_id = ANY($1::uuid[]) AND ($4::int IS NULL OR d.year = $4)) AS pending,
              (SELECT json_agg(${RESULT_JSON})
                 FROM unnest($2::uuid[], $3::text[]) AS k(scope_id, period_code)
                 JOIN period_result r
                   ON r.scope_type = 'intervention' AND r.scope_id = k.scope_id AND r.period_code = k.period_code) AS results,
              (SELECT json_agg(g) FROM (SELECT intervention_id, participants, new_participants,
                                               share_work_or_studies::float8 AS sws,
                                               share_ordinary_intervention::float8 AS soi
                                          FROM intervention_goal
                                         WHERE intervention_id = ANY($1::uuid[]) AND year = $4) g) AS goals`,
      [interventionIds, keys.map((k) => k.scopeId), keys.map((k) => k.periodCode), year],
    );
    return {
      pending: new Set(row.pending ?? []),
      stored: storedOf(row.results),
      goals: new Map((row.goals ?? []).map((r) => [r.intervention_id, goalTargets(r)])),
    };
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
    const rows: (GoalRow & { year: number })[] = await m.query(
      `SELECT year, ${GOAL_SUMS}
         FROM intervention_goal WHERE intervention_id = ANY($1::uuid[]) AND year = ANY($2::int[])
        GROUP BY year`,
      [interventionIds, years],
    );
    return new Map(rows.map((r) => [r.year, goalTargets(r)]));
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
