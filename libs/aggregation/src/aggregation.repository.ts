import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { KeyedFact } from '@app/domain/disclosure-control-cell-key';
import { periodsOfYear, type Period } from '@app/domain';
import { CELL_KEY_MODULUS_SQL, PERIOD_RESULTS_SQL } from './period-results.sql';
import type { ResultRow } from './scope-results';

/**
 * Retention (README "Retention"): "since start" counts the purged rows too. Its result is computed from the
 * remaining rows like any other and, where it is written, the scope's purged base (what the purged rows added
 * when they were deleted) is added cell by cell: one place for both paths, the incremental upsert and the
 * set-based rebuild, so they write the same document. The median is not a sum: each path takes it over the
 * remaining exits and the base's kept days (`exit_days`).
 */
const PURGED_BASE_JOIN = (scopeType: string, scopeId: string, year: string) =>
  `LEFT JOIN purged_since_start pb ON ${year} IS NULL AND pb.scope_type = ${scopeType} AND pb.scope_id = ${scopeId}`;
const withPurgedBase = (counts: string, keys: string) =>
  `CASE WHEN pb.scope_id IS NULL THEN ${counts} ELSE add_result_cells(${counts}, pb.counts, NULL) END,
   CASE WHEN pb.scope_id IS NULL THEN ${keys} ELSE add_result_cells(${keys}, pb.keys, ${CELL_KEY_MODULUS_SQL}) END`;

/** An enrolment fact with its record keys (enrolment's and participant's) and its insats. */
export interface ScopedFact extends KeyedFact {
  interventionId: string;
}

export interface InterventionInfo {
  id: string;
  associationId: string;
  startsOn: string;
}

/** Named queries of the aggregation: the outbox of dirty marks, raw facts, and stored period results. */
/** Active, new and exited: the three counts of distinct persons. */
export type PersonTriple = { active: number; new: number; exited: number };

/** A dirty (insats, year): its version, and from which date its periods changed (null: the whole year). */
export interface DirtyMark {
  interventionId: string;
  year: number;
  version: string;
  from: string | null;
}

/** How many stored periods a year has (periodsOfYear): quarters, half-years, year to date and the year. */
const PERIODS_PER_YEAR = periodsOfYear(2000).length;

/** The earlier of a mark's date and a new one's, where null (the whole year) is earliest. */
const EARLIER_FROM = `CASE WHEN d.from_date IS NULL OR EXCLUDED.from_date IS NULL THEN NULL
                           ELSE LEAST(d.from_date, EXCLUDED.from_date) END`;

@Injectable()
export class AggregationRepository {
  /**
   * Marks (intervention, year) pairs dirty; a mark that exists gets a new version, so a running job sees it.
   * Versions come from one sequence: a mark cleared and made again never repeats a version a job has read.
   * Answers the intervention's association (the unit a recompute is queued for).
   */
  /**
   * Marks the years of an insats dirty, each from the date given in `from` (only the periods ending on or after
   * it changed) or, for a year not in `from`, the whole year. Marks meeting an existing one keep the earlier
   * date (null, the whole year, is the earliest) and take a new version.
   */
  async markDirty(
    m: EntityManager,
    interventionId: string,
    years: number[],
    from: ReadonlyMap<number, string> = new Map(),
  ): Promise<string | null> {
    if (years.length === 0) return null;
    const rows: { association_id: string }[] = await m.query(
      `WITH marked AS (
         INSERT INTO aggregation_dirty AS d (intervention_id, year, from_date)
         SELECT $1, t.year, t.from_date FROM unnest($2::int[], $3::date[]) AS t(year, from_date)
         ON CONFLICT (intervention_id, year)
         DO UPDATE SET version = nextval('aggregation_dirty_version_seq'), marked_at = now(),
                       from_date = ${EARLIER_FROM})
       SELECT association_id FROM intervention WHERE id = $1`,
      [interventionId, years, years.map((y) => from.get(y) ?? null)],
    );
    return rows[0]?.association_id ?? null;
  }

  /** Marks every (intervention, year) that has enrolments: after a bulk load or an upgrade. */
  async markAllDirty(m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO aggregation_dirty (intervention_id, year)
       SELECT DISTINCT e.intervention_id,
              generate_series(extract(year FROM e.started_on)::int,
                              extract(year FROM COALESCE(e.exited_on, greatest(e.started_on, current_date)))::int)
         FROM enrolment e
       ON CONFLICT (intervention_id, year)
       DO UPDATE SET version = nextval('aggregation_dirty_version_seq'), marked_at = now(), from_date = NULL`,
    );
  }

  async associationOf(m: EntityManager, interventionId: string): Promise<string | null> {
    const rows = await m.query(`SELECT association_id FROM intervention WHERE id = $1`, [interventionId]);
    return rows[0]?.association_id ?? null;
  }

  /** Associations with dirty marks, those waiting longest first: what the sweep re-enqueues. */
  async dirtyAssociations(m: EntityManager, limit: number): Promise<string[]> {
    const rows: { association_id: string }[] = await m.query(
      `SELECT i.association_id FROM aggregation_dirty d JOIN intervention i ON i.id = d.intervention_id
        GROUP BY i.association_id ORDER BY min(d.marked_at) LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.association_id);
  }

  async hasDirtyMarks(m: EntityManager, associationId: string): Promise<boolean> {
    const rows = await m.query(
      `SELECT 1 FROM aggregation_dirty d JOIN intervention i ON i.id = d.intervention_id
        WHERE i.association_id = $1 LIMIT 1`,
      [associationId],
    );
    return rows.length > 0;
  }

  /**
   * The association's dirty marks. With `withDates` false (a read only to compare or clear versions) every `from`
   * is null and the stored results are not counted.
   */
  async dirtyMarksOfAssociation(
    m: EntityManager,
    associationId: string,
    withDates = true,
  ): Promise<DirtyMark[]> {
    // A mark's date counts only where the year's results of the insats and the association are all stored: the
    // first computation of a year writes all its periods, so that none of them is missing.
    const from = withDates
      ? `CASE WHEN (SELECT count(*) FROM period_result r
                     WHERE r.scope_type = 'intervention' AND r.scope_id = d.intervention_id AND r.year = d.year) >= $2
               AND (SELECT count(*) FROM period_result r
                     WHERE r.scope_type = 'association' AND r.scope_id = i.association_id AND r.year = d.year) >= $2
              THEN d.from_date::text END`
      : 'NULL';
    const rows = await m.query(
      `SELECT d.intervention_id, d.year, d.version, ${from} AS from_date
         FROM aggregation_dirty d
         JOIN intervention i ON i.id = d.intervention_id WHERE i.association_id = $1`,
      withDates ? [associationId, PERIODS_PER_YEAR] : [associationId],
    );
    return rows.map(
      (r: { intervention_id: string; year: number; version: string; from_date: string | null }) => ({
        interventionId: r.intervention_id,
        year: r.year,
        version: r.version,
        from: r.from_date,
      }),
    );
  }

  async clearDirtyMarks(
    m: EntityManager,
    marks: { interventionId: string; year: number; version: string }[],
  ): Promise<void> {
    if (marks.length === 0) return;
    await m.query(
      `DELETE FROM aggregation_dirty d USING unnest($1::uuid[], $2::int[], $3::bigint[]) AS x(i, y, v)
        WHERE d.intervention_id = x.i AND d.year = x.y AND d.version = x.v`,
      [marks.map((x) => x.interventionId), marks.map((x) => x.year), marks.map((x) => x.version)],
    );
  }

  /**
   * Serialises result writes of one association for the rest of the transaction. Without it, a job that
   * read the association's rows earlier could commit its association totals after a job that read newer
   * rows, and the older totals would win with no dirty mark left to repair them.
   */
  /**
   * Lets this transaction's commit return before its WAL reaches the disk. Only for writing derived results:
   * a crash can lose the last such commits, but each loses its results and its cleared marks together, so
   * the marks come back and the results are computed again; nothing a user entered is written this way.
   */
  async commitWithoutFlushWait(m: EntityManager): Promise<void> {
    await m.query(`SET LOCAL synchronous_commit = off`);
  }

  async lockAssociation(m: EntityManager, associationId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(727003, hashtext($1))`, [associationId]);
  }

  async intervention(m: EntityManager, id: string): Promise<InterventionInfo | null> {
    const rows = await m.query(
      `SELECT id, association_id, starts_on::text AS starts_on FROM intervention WHERE id = $1`,
      [id],
    );
    return rows[0]
      ? { id: rows[0].id, associationId: rows[0].association_id, startsOn: rows[0].starts_on }
      : null;
  }

  async interventionsOfAssociation(m: EntityManager, associationId: string): Promise<InterventionInfo[]> {
    const rows = await m.query(
      `SELECT id, association_id, starts_on::text AS starts_on FROM intervention WHERE association_id = $1 ORDER BY id`,
      [associationId],
    );
    return rows.map((r: { id: string; association_id: string; starts_on: string }) => ({
      id: r.id,
      associationId: r.association_id,
      startsOn: r.starts_on,
    }));
  }

  async associationIds(m: EntityManager): Promise<string[]> {
    return (await m.query(`SELECT id FROM association ORDER BY id`)).map((r: { id: string }) => r.id);
  }

  /**
   * The live enrolments of some interventions only, by the intervention index; with a range, only those
   * active at some point of it (the index's start date bounds the scan).
   */
  async interventionFacts(
    m: EntityManager,
    interventionIds: string[],
    activeIn?: { start: string; end: string },
  ): Promise<ScopedFact[]> {
    if (interventionIds.length === 0) return [];
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT ${FACT_COLUMNS} FROM enrolment e
        WHERE e.intervention_id = ANY($1::uuid[]) AND e.removed_at IS NULL
          AND ($2::date IS NULL OR (e.started_on <= $3::date AND (e.exited_on IS NULL OR e.exited_on >= $2::date)))`,
      [interventionIds, activeIn?.start ?? null, activeIn?.end ?? null],
    );
    return rows.map(toFact);
  }

  /** Stored results of interventions for some periods: the parts an association's sums are made of. */
  async storedParts(
    m: EntityManager,
    interventionIds: string[],
    periodCodes: string[],
  ): Promise<
    {
      interventionId: string;
      periodCode: string;
      end: string;
      counts: Record<string, unknown>;
      keys: Record<string, unknown> | null;
    }[]
  > {
    if (interventionIds.length === 0 || periodCodes.length === 0) return [];
    const rows: {
      scope_id: string;
      period_code: string;
      period_end: string;
      counts: Record<string, unknown>;
      keys: Record<string, unknown> | null;
    }[] = await m.query(
      `SELECT scope_id, period_code, period_end::text AS period_end, counts, keys FROM period_result
          WHERE scope_type = 'intervention' AND scope_id = ANY($1::uuid[]) AND period_code = ANY($2::text[])`,
      [interventionIds, periodCodes],
    );
    return rows.map((r) => ({
      interventionId: r.scope_id,
      periodCode: r.period_code,
      end: r.period_end,
      counts: r.counts,
      keys: r.keys,
    }));
  }

  /**
   * What an association's distinct persons lack beside the sum of its insatser's: a person active (new,
   * exited) in m > 1 of them in a period is counted m times by the sum, so m − 1 is taken off, with m − 1
   * times their record key. Only the few participants with enrolments in several insatser are read (by the
   * participant index); the rest of the association needs no query.
   */
  async personOvercount(
    m: EntityManager,
    associationId: string,
    interventionIds: string[],
    periods: PeriodRange[],
  ): Promise<Map<string, PersonOvercount>> {
    return toOvercount(
      await m.query(PERSON_OVERCOUNT_SQL, [...periodParameters(periods), interventionIds, associationId]),
    );
  }

  /** The median days enrolled of the exits of each period, over some insatser (a median does not add up). */
  async medianDaysEnrolled(
    m: EntityManager,
    interventionIds: string[],
    periods: PeriodRange[],
  ): Promise<Map<string, number>> {
    return toMedians(await m.query(MEDIAN_DAYS_SQL, [...periodParameters(periods), interventionIds]));
  }

  /**
   * What a chosen set's figures of some year periods can be summed from, read in one statement (one snapshot):
   * each insats' stored result of each period, whether a dirty mark covers it (stale) or retention froze its
   * year, and the set's person overcount and medians. A part without a dirty mark counts every committed row.
   */
  async storedSetParts(
    m: EntityManager,
    associationId: string,
    interventionIds: string[],
    periods: (PeriodRange & { year: number })[],
  ): Promise<StoredSetParts> {
    const [row]: {
      parts: StoredSetPart[] | null;
      overcount: OvercountRow[] | null;
      medians: { code: string; median: number }[] | null;
    }[] = await m.query(
      `SELECT
         (SELECT json_agg(x) FROM (
            SELECT i.id AS "interventionId", p.code AS "periodCode",
                   extract(year FROM i.starts_on)::int > p.y AS "beforeStart", r.counts, r.keys,
                   -- As the recompute reads a mark: the periods of its year that end on or after its date changed.
                   EXISTS (SELECT 1 FROM aggregation_dirty d WHERE d.intervention_id = i.id AND d.year = p.y
                             AND (d.from_date IS NULL OR d.from_date <= p.e)) AS stale,
                   EXISTS (SELECT 1 FROM purged_period pp WHERE pp.intervention_id = i.id AND pp.year = p.y) AS frozen
              FROM intervention i CROSS JOIN unnest($1::text[], $2::date[], $3::date[], $6::int[]) AS p(code, s, e, y)
              LEFT JOIN period_result r ON r.scope_type = 'intervention' AND r.scope_id = i.id AND r.period_code = p.code
             WHERE i.id = ANY($4::uuid[])) x) AS parts,
         (SELECT json_agg(x) FROM (${PERSON_OVERCOUNT_SQL}) x) AS overcount,
         (SELECT json_agg(x) FROM (${MEDIAN_DAYS_SQL}) x) AS medians`,
      [...periodParameters(periods), interventionIds, associationId, periods.map((p) => p.year)],
    );
    return {
      parts: row.parts ?? [],
      overcount: toOvercount(row.overcount ?? []),
      medians: toMedians(row.medians ?? []),
    };
  }

  /** Computes and upserts every result of the associations in PostgreSQL; answers how many. */
  async rebuildResults(m: EntityManager, associationIds: string[], today: string): Promise<number> {
    // Compiling this large statement (JIT) costs far more than running it; only inside this transaction. It
    // is a prepared statement (PreparingClient) run once per association: its plan is made for each one's
    // values, as PostgreSQL might otherwise settle on a generic plan after five runs.
    await m.query(`SET LOCAL jit = off`);
    await m.query(`SET LOCAL plan_cache_mode = force_custom_plan`);
    const [{ n }] = await m.query(
      `WITH written AS (
         INSERT INTO period_result (scope_type, scope_id, period_code, year, period_start, period_end, counts, keys, computed_at)
         SELECT r.scope_type, r.scope_id, r.period_code, r.year, r.period_start, r.period_end,
                ${withPurgedBase('r.counts', 'r.keys')}, now()
           FROM (${PERIOD_RESULTS_SQL}) r
           ${PURGED_BASE_JOIN('r.scope_type', 'r.scope_id', 'r.year')}
          -- Retention: a purged (insats, year) keeps its stored results; the rows left cannot recompute them.
          WHERE NOT EXISTS (SELECT 1 FROM purged_period pp JOIN intervention pi ON pi.id = pp.intervention_id
                             WHERE pp.year = r.year
                               AND r.scope_id = CASE r.scope_type WHEN 'intervention' THEN pi.id ELSE pi.association_id END)
         ON CONFLICT (scope_type, scope_id, period_code) DO UPDATE SET year = EXCLUDED.year,
           period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, counts = EXCLUDED.counts,
           keys = EXCLUDED.keys, computed_at = EXCLUDED.computed_at
         RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      [associationIds, today],
    );
    return n;
  }

  async liveEnrolmentCount(m: EntityManager, associationId: string): Promise<number> {
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM enrolment e JOIN intervention i ON i.id = e.intervention_id
        WHERE i.association_id = $1 AND e.removed_at IS NULL`,
      [associationId],
    );
    return n;
  }

  /**
   * Upserts results on their natural key (scope, period): re-running a job writes the same rows. A batch
   * goes as one jsonb document: escaping each result's JSON into a text[] parameter cost more than the write.
   */
  async upsertResults(m: EntityManager, rows: ResultRow[]): Promise<void> {
    const BATCH = 2000;
    for (let i = 0; i < rows.length; i += BATCH) {
      await m.query(
        `INSERT INTO period_result (scope_type, scope_id, period_code, year, period_start, period_end, counts, keys, computed_at)
         SELECT x."scopeType", x."scopeId", x."periodCode", x.year, x.start, x."end",
                ${withPurgedBase('x.counts', 'x.keys')}, now()
           FROM jsonb_to_recordset($1::jsonb) AS x("scopeType" text, "scopeId" uuid, "periodCode" text, year int,
                                                    start date, "end" date, counts jsonb, keys jsonb)
           ${PURGED_BASE_JOIN('x."scopeType"', 'x."scopeId"', 'x.year')}
          -- Retention: a purged (insats, year) keeps its stored results; the rows left cannot recompute them.
          WHERE NOT EXISTS (SELECT 1 FROM purged_period pp JOIN intervention pi ON pi.id = pp.intervention_id
                             WHERE pp.year = x.year
                               AND x."scopeId" = CASE x."scopeType" WHEN 'intervention' THEN pi.id ELSE pi.association_id END)
         ON CONFLICT (scope_type, scope_id, period_code) DO UPDATE SET year = EXCLUDED.year,
           period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, counts = EXCLUDED.counts,
           keys = EXCLUDED.keys, computed_at = EXCLUDED.computed_at
          -- A round recomputes every period of a dirty year, most of them unchanged by one write: those keep
          -- their row (no new row version, no compression, no WAL) and their version (masked bodies cached for
          -- it stay valid). Their figures were right when computed and still are.
          WHERE (period_result.year, period_result.period_start, period_result.period_end, period_result.counts,
                 period_result.keys)
                IS DISTINCT FROM (EXCLUDED.year, EXCLUDED.period_start, EXCLUDED.period_end, EXCLUDED.counts,
                                  EXCLUDED.keys)`,
        [JSON.stringify(rows.slice(i, i + BATCH))],
      );
    }
  }

  /**
   * The run log is for the status page and troubleshooting: three months of rebuilds is plenty, and of
   * recomputes (one per round, many a minute under load) two weeks.
   */
  async pruneRuns(m: EntityManager, keepDays: number, keepRecomputeDays: number): Promise<void> {
    await m.query(
      `DELETE FROM aggregation_run
        WHERE finished_at < now() - make_interval(days => CASE WHEN kind = 'recompute' THEN $2::int ELSE $1::int END)`,
      [keepDays, keepRecomputeDays],
    );
  }

  /** One run of the log; finished_at is the real clock (now() would be the transaction's start). */
  async recordRun(
    m: EntityManager,
    run: {
      kind: 'recompute' | 'rebuild';
      scopeId: string | null;
      year: number | null;
      startedAt: Date;
      enrolments: number;
      results: number;
      failures?: RebuildFailure[];
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO aggregation_run (kind, scope_id, year, started_at, finished_at, enrolments, results, failures)
       VALUES ($1, $2, $3, $4, clock_timestamp(), $5, $6, $7::jsonb)`,
      [
        run.kind,
        run.scopeId,
        run.year,
        run.startedAt,
        run.enrolments,
        run.results,
        JSON.stringify(run.failures ?? []),
      ],
    );
  }
}

export interface RebuildFailure {
  associationId: string;
  message: string;
}

/** A period by its code and dates: what the queries of several periods take (as three arrays, $1–$3). */
type PeriodRange = Pick<Period, 'code' | 'start' | 'end'>;
const periodParameters = (periods: PeriodRange[]) => [
  periods.map((p) => p.code),
  periods.map((p) => p.start),
  periods.map((p) => p.end),
];

/** The persons (and their keys) to take off a sum of insatser's results: see personOvercount. */
export interface PersonOvercount {
  persons: PersonTriple;
  personKeys: PersonTriple;
}
type OvercountRow = {
  code: string;
  active: number;
  new: number;
  exited: number;
  ka: string;
  kn: string;
  kx: string;
};

/** One insats' stored result of one period, as storedSetParts reads it. */
export interface StoredSetPart {
  interventionId: string;
  periodCode: string;
  /** The period's year is before the insats' start: it counts nothing there. */
  beforeStart: boolean;
  counts: Record<string, unknown> | null;
  keys: Record<string, unknown> | null;
  stale: boolean;
  frozen: boolean;
}

export interface StoredSetParts {
  parts: StoredSetPart[];
  overcount: Map<string, PersonOvercount>;
  medians: Map<string, number>;
}

// $1–$3 the periods (codes, starts, ends), $4 the insatser, $5 their association.
// multi: everyone with more than one enrolment overlapping the span of the periods, a cheap superset of those
// in several insatser (one aggregate instead of two); someone enrolled twice in one insats only adds zeros.
const PERSON_OVERCOUNT_SQL = `WITH multi AS (
           SELECT e.participant_id FROM enrolment e
            WHERE e.intervention_id = ANY($4::uuid[]) AND e.removed_at IS NULL
              AND e.started_on <= (SELECT max(x) FROM unnest($3::date[]) x)
              AND (e.exited_on IS NULL OR e.exited_on >= (SELECT min(x) FROM unnest($2::date[]) x))
            GROUP BY e.participant_id HAVING count(*) > 1),
         per_insats AS (
           SELECT p.code, e.participant_id, bool_or(e.started_on >= p.s) AS is_new,
                  COALESCE(bool_or(e.exited_on <= p.e), false) AS is_exit
             FROM unnest($1::text[], $2::date[], $3::date[]) AS p(code, s, e)
             JOIN enrolment e ON e.intervention_id = ANY($4::uuid[]) AND e.removed_at IS NULL
                             AND e.participant_id IN (SELECT participant_id FROM multi)
                             AND e.started_on <= p.e AND (e.exited_on IS NULL OR e.exited_on >= p.s)
            GROUP BY p.code, e.participant_id, e.intervention_id),
         per_person AS (
           SELECT code, participant_id, count(*) - 1 AS ma, greatest(count(*) FILTER (WHERE is_new) - 1, 0) AS mn,
                  greatest(count(*) FILTER (WHERE is_exit) - 1, 0) AS mx
             FROM per_insats GROUP BY code, participant_id)
         SELECT x.code, sum(x.ma)::int AS active, sum(x.mn)::int AS new, sum(x.mx)::int AS exited,
                (sum(x.ma * pa.disclosure_key::numeric) % ${CELL_KEY_MODULUS_SQL})::text AS ka,
                (sum(x.mn * pa.disclosure_key::numeric) % ${CELL_KEY_MODULUS_SQL})::text AS kn,
                (sum(x.mx * pa.disclosure_key::numeric) % ${CELL_KEY_MODULUS_SQL})::text AS kx
           FROM per_person x JOIN participant pa ON pa.id = x.participant_id AND pa.association_id = $5
          GROUP BY x.code`;

function toOvercount(rows: OvercountRow[]): Map<string, PersonOvercount> {
  return new Map(
    rows.map((r) => [
      r.code,
      {
        persons: { active: r.active, new: r.new, exited: r.exited },
        personKeys: { active: Number(r.ka), new: Number(r.kn), exited: Number(r.kx) },
      },
    ]),
  );
}

// $1–$3 the periods (codes, starts, ends), $4 the insatser.
const MEDIAN_DAYS_SQL = `SELECT code, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median
         FROM (SELECT p.code, e.exited_on - e.started_on AS days
                 FROM unnest($1::text[], $2::date[], $3::date[]) AS p(code, s, e)
                 JOIN enrolment e ON e.intervention_id = ANY($4::uuid[]) AND e.removed_at IS NULL
                                 AND e.exited_on BETWEEN p.s AND p.e
                                 -- the span of all the periods, so that rows are filtered before the join
                                 AND e.exited_on BETWEEN (SELECT min(x) FROM unnest($2::date[]) x)
                                                     AND (SELECT max(x) FROM unnest($3::date[]) x)
               UNION ALL
               -- Retention: the kept days of the insatser's purged exits count in since start.
               SELECT 'since-start', d FROM purged_since_start b CROSS JOIN unnest(b.exit_days) d
                WHERE b.scope_type = 'intervention' AND b.scope_id = ANY($4::uuid[])
                  AND 'since-start' = ANY($1::text[])) x
        GROUP BY code`;

function toMedians(rows: { code: string; median: number }[]): Map<string, number> {
  return new Map(rows.map((r) => [r.code, r.median]));
}

/** The columns `toFact` reads, of `enrolment e JOIN participant pa`. */
export const FACT_COLUMNS = `e.intervention_id AS i, e.participant_id AS p, e.started_on::text AS s, e.exited_on::text AS x,
  e.gender AS g, e.referring_party AS r, e.age_band AS a, e.education_level AS ed,
  e.municipality_code::text AS mu, e.exit_reason AS er,
  'social_assistance' = ANY(e.income_support_at_start) AS sas,
  COALESCE('social_assistance' = ANY(e.income_support_at_exit), false) AS sax,
  e.disclosure_key::text AS ek,
  -- The participant's key, copied onto the enrolment by a trigger: no lookup per row (see the migration).
  e.participant_key::text AS pk`;

export function toFact(r: Record<string, unknown>): ScopedFact {
  return {
    interventionId: r.i as string,
    participantId: r.p as string,
    startedOn: r.s as string,
    exitedOn: r.x as string | null,
    gender: r.g as ScopedFact['gender'],
    referringParty: r.r as ScopedFact['referringParty'],
    ageBand: r.a as ScopedFact['ageBand'],
    educationLevel: r.ed as ScopedFact['educationLevel'],
    municipality: r.mu as string,
    exitReason: r.er as ScopedFact['exitReason'],
    socialAssistanceAtStart: r.sas as boolean,
    socialAssistanceAtExit: r.sax as boolean,
    enrolmentKey: Number(r.ek),
    participantKey: Number(r.pk),
  };
}
