import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EnrolmentFact } from '@app/domain';
import type { ResultRow } from './scope-results';

export interface ScopedFact extends EnrolmentFact {
  interventionId: string;
}

export interface InterventionInfo {
  id: string;
  associationId: string;
  startsOn: string;
}

/** Named queries of the aggregation: the outbox of dirty marks, raw facts, and stored period results. */
@Injectable()
export class AggregationRepository {
  /** Marks (intervention, year) pairs dirty; a mark that exists gets a new version, so a running job sees it. */
  async markDirty(m: EntityManager, interventionId: string, years: number[]): Promise<void> {
    if (years.length === 0) return;
    await m.query(
      `INSERT INTO aggregation_dirty (intervention_id, year) SELECT $1, unnest($2::int[])
       ON CONFLICT (intervention_id, year) DO UPDATE SET version = aggregation_dirty.version + 1, marked_at = now()`,
      [interventionId, years],
    );
  }

  /** Marks every (intervention, year) that has enrolments: after a bulk load or an upgrade. */
  async markAllDirty(m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO aggregation_dirty (intervention_id, year)
       SELECT DISTINCT e.intervention_id,
              generate_series(extract(year FROM e.started_on)::int,
                              extract(year FROM COALESCE(e.exited_on, greatest(e.started_on, current_date)))::int)
         FROM enrolment e
       ON CONFLICT (intervention_id, year) DO UPDATE SET version = aggregation_dirty.version + 1, marked_at = now()`,
    );
  }

  async dirtyVersion(m: EntityManager, interventionId: string, year: number): Promise<string | null> {
    const rows = await m.query(
      `SELECT version FROM aggregation_dirty WHERE intervention_id = $1 AND year = $2`,
      [interventionId, year],
    );
    return rows[0]?.version ?? null;
  }

  /** Clears a mark only if nobody marked it again since `version` was read. */
  async clearDirty(
    m: EntityManager,
    interventionId: string,
    year: number,
    version: string,
  ): Promise<boolean> {
    const [, count] = await m.query(
      `DELETE FROM aggregation_dirty WHERE intervention_id = $1 AND year = $2 AND version = $3`,
      [interventionId, year, version],
    );
    return count > 0;
  }

  async dirtyMarksOfAssociation(
    m: EntityManager,
    associationId: string,
  ): Promise<{ interventionId: string; year: number; version: string }[]> {
    const rows = await m.query(
      `SELECT d.intervention_id, d.year, d.version FROM aggregation_dirty d
         JOIN intervention i ON i.id = d.intervention_id WHERE i.association_id = $1`,
      [associationId],
    );
    return rows.map((r: { intervention_id: string; year: number; version: string }) => ({
      interventionId: r.intervention_id,
      year: r.year,
      version: r.version,
    }));
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

  async oldestDirty(m: EntityManager, limit: number): Promise<{ interventionId: string; year: number }[]> {
    const rows = await m.query(
      `SELECT intervention_id, year FROM aggregation_dirty ORDER BY marked_at LIMIT $1`,
      [limit],
    );
    return rows.map((r: { intervention_id: string; year: number }) => ({
      interventionId: r.intervention_id,
      year: r.year,
    }));
  }

  /**
   * Serialises result writes of one association for the rest of the transaction. Without it, a job that
   * read the association's rows earlier could commit its association totals after a job that read newer
   * rows, and the older totals would win with no dirty mark left to repair them.
   */
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

  /** Every live enrolment of the association, as facts (withdrawn registration errors are left out). */
  async associationFacts(m: EntityManager, associationId: string): Promise<ScopedFact[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT e.intervention_id AS i, e.participant_id AS p, e.started_on::text AS s, e.exited_on::text AS x,
              e.gender AS g, e.referring_party AS r, e.age_band AS a, e.education_level AS ed,
              e.municipality_code::text AS mu, e.exit_reason AS er,
              'social_assistance' = ANY(e.income_support_at_start) AS sas,
              COALESCE('social_assistance' = ANY(e.income_support_at_exit), false) AS sax
         FROM enrolment e JOIN intervention i ON i.id = e.intervention_id
        WHERE i.association_id = $1 AND e.removed_at IS NULL`,
      [associationId],
    );
    return rows.map((r) => ({
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
    }));
  }

  /** Upserts results on their natural key (scope, period): re-running a job writes the same rows. */
  async upsertResults(m: EntityManager, rows: ResultRow[]): Promise<void> {
    const BATCH = 2000;
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      await m.query(
        `INSERT INTO period_result (scope_type, scope_id, period_code, year, period_start, period_end, counts, computed_at)
         SELECT t, s, c, y, ps, pe, j::jsonb, now()
           FROM unnest($1::text[], $2::uuid[], $3::text[], $4::int[], $5::date[], $6::date[], $7::text[])
             AS x(t, s, c, y, ps, pe, j)
          -- Retention: a purged (insats, year) keeps its stored results; the rows left cannot recompute them.
          WHERE NOT EXISTS (SELECT 1 FROM purged_period pp JOIN intervention pi ON pi.id = pp.intervention_id
                             WHERE pp.year = x.y AND (x.s = CASE x.t WHEN 'intervention' THEN pi.id ELSE pi.association_id END))
         ON CONFLICT (scope_type, scope_id, period_code) DO UPDATE SET year = EXCLUDED.year,
           period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, counts = EXCLUDED.counts,
           computed_at = EXCLUDED.computed_at`,
        [
          batch.map((r) => r.scopeType),
          batch.map((r) => r.scopeId),
          batch.map((r) => r.periodCode),
          batch.map((r) => r.year),
          batch.map((r) => r.start),
          batch.map((r) => r.end),
          batch.map((r) => JSON.stringify(r.counts)),
        ],
      );
    }
  }

  /** The run log is for the status page and troubleshooting; three months of it is plenty. */
  async pruneRuns(m: EntityManager, keepDays: number): Promise<void> {
    await m.query(`DELETE FROM aggregation_run WHERE finished_at < now() - make_interval(days => $1)`, [
      keepDays,
    ]);
  }

  async recordRun(
    m: EntityManager,
    run: {
      kind: 'recompute' | 'rebuild';
      scopeId: string | null;
      year: number | null;
      startedAt: Date;
      enrolments: number;
      results: number;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO aggregation_run (kind, scope_id, year, started_at, enrolments, results) VALUES ($1, $2, $3, $4, $5, $6)`,
      [run.kind, run.scopeId, run.year, run.startedAt, run.enrolments, run.results],
    );
  }
}
