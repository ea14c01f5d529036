import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { expandCounts, type Period } from '@app/domain';
import { expandKeys } from '@app/domain/disclosure-control-cell-key';
import type { PersonCells, PersonCombination } from '@app/domain/person-overlap';
import { FACT_COLUMNS, toFact } from './aggregation.repository';
import { CELL_KEY_MODULUS_SQL } from './period-results.sql';
import type { PurgedFigures, PurgeFact, StoredSinceStartBase } from './purged-figures';

/**
 * The aggregates retention keeps of the rows it deletes (README "Retention"; tables of the migration
 * PurgedFigures), written in the purge's transaction and read by the aggregation and the reports.
 */
@Injectable()
export class PurgedFiguresRepository {
  /** Every live enrolment of the association with its id, for the purge to compute from before it deletes. */
  async associationFacts(m: EntityManager, associationId: string): Promise<PurgeFact[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT e.id, ${FACT_COLUMNS} FROM enrolment e
         JOIN intervention i ON i.id = e.intervention_id
        WHERE i.association_id = $1 AND e.removed_at IS NULL`,
      [associationId],
    );
    return rows.map((r) => ({ ...toFact(r), enrolmentId: r.id as string }));
  }

  /** The (insats, year) pairs of these insatser frozen so far. */
  async frozenPairs(
    m: EntityManager,
    interventionIds: readonly string[],
  ): Promise<{ interventionId: string; year: number }[]> {
    if (interventionIds.length === 0) return [];
    const rows: { intervention_id: string; year: number }[] = await m.query(
      `SELECT intervention_id, year FROM purged_period WHERE intervention_id = ANY($1::uuid[])`,
      [interventionIds],
    );
    return rows.map((r) => ({ interventionId: r.intervention_id, year: r.year }));
  }

  /**
   * Stores a purge's figures. Since-start bases and overlap add to what earlier purges left (each is the
   * difference one purge made); a frozen period's overlap and exit days are written once, at its first purge.
   */
  async store(m: EntityManager, associationId: string, figures: PurgedFigures): Promise<void> {
    if (figures.sinceStart.length > 0)
      await m.query(
        `INSERT INTO purged_since_start (scope_type, scope_id, counts, keys, exit_days)
         SELECT x."scopeType", x."scopeId", x.counts, x.keys, ARRAY(SELECT jsonb_array_elements_text(x."exitDays")::int)
           FROM jsonb_to_recordset($1::jsonb) AS x("scopeType" text, "scopeId" uuid, counts jsonb, keys jsonb,
                                                    "exitDays" jsonb)
         ON CONFLICT (scope_type, scope_id) DO UPDATE SET
           counts = add_result_cells(purged_since_start.counts, EXCLUDED.counts, NULL),
           keys = add_result_cells(purged_since_start.keys, EXCLUDED.keys, ${CELL_KEY_MODULUS_SQL}),
           exit_days = ARRAY(SELECT d FROM unnest(purged_since_start.exit_days || EXCLUDED.exit_days) d ORDER BY d),
           updated_at = now()`,
        [JSON.stringify(figures.sinceStart)],
      );
    const rows = [
      ...figures.sinceStartOverlap.map((c) => ({ periodCode: 'since-start', c })),
      ...figures.frozenOverlaps.flatMap((o) => o.combinations.map((c) => ({ periodCode: o.periodCode, c }))),
    ];
    if (rows.length > 0)
      await m.query(
        `INSERT INTO purged_person_overlap (association_id, period_code, intervention_ids, active_count, new_count,
                                           exited_count, active_key, new_key, exited_key)
         SELECT $1, x.p, ARRAY(SELECT jsonb_array_elements_text(x.ids)::uuid), x.a, x.n, x.e, x.ka, x.kn, x.ke
           FROM jsonb_to_recordset($2::jsonb) AS x(p text, ids jsonb, a int, n int, e int, ka bigint, kn bigint,
                                                    ke bigint)
         ON CONFLICT (association_id, period_code, intervention_ids) DO UPDATE SET
           active_count = purged_person_overlap.active_count + EXCLUDED.active_count,
           new_count = purged_person_overlap.new_count + EXCLUDED.new_count,
           exited_count = purged_person_overlap.exited_count + EXCLUDED.exited_count,
           active_key = (purged_person_overlap.active_key + EXCLUDED.active_key) % ${CELL_KEY_MODULUS_SQL},
           new_key = (purged_person_overlap.new_key + EXCLUDED.new_key) % ${CELL_KEY_MODULUS_SQL},
           exited_key = (purged_person_overlap.exited_key + EXCLUDED.exited_key) % ${CELL_KEY_MODULUS_SQL}
         -- Only since start adds up; a frozen period's combinations were written at its first purge.
         WHERE EXCLUDED.period_code = 'since-start'`,
        [
          associationId,
          JSON.stringify(
            rows.map(({ periodCode, c }) => ({
              p: periodCode,
              ids: c.interventionIds,
              a: c.cells.active.count,
              n: c.cells.new.count,
              e: c.cells.exited.count,
              ka: c.cells.active.key,
              kn: c.cells.new.key,
              ke: c.cells.exited.key,
            })),
          ),
        ],
      );
    if (figures.frozenExitDays.length > 0)
      await m.query(
        `INSERT INTO purged_exit_days (intervention_id, period_code, days)
         SELECT x.i, x.p, ARRAY(SELECT jsonb_array_elements_text(x.d)::int)
           FROM jsonb_to_recordset($1::jsonb) AS x(i uuid, p text, d jsonb)
         ON CONFLICT DO NOTHING`,
        [
          JSON.stringify(
            figures.frozenExitDays.map((d) => ({ i: d.interventionId, p: d.periodCode, d: d.days })),
          ),
        ],
      );
  }

  /** The since-start bases of some insatser, by insats. */
  async sinceStartBases(
    m: EntityManager,
    interventionIds: readonly string[],
  ): Promise<Map<string, StoredSinceStartBase>> {
    if (interventionIds.length === 0) return new Map();
    const rows: {
      scope_id: string;
      counts: Record<string, unknown>;
      keys: Record<string, unknown>;
      exit_days: number[];
    }[] = await m.query(
      `SELECT scope_id, counts, keys, exit_days FROM purged_since_start
        WHERE scope_type = 'intervention' AND scope_id = ANY($1::uuid[])`,
      [interventionIds],
    );
    return new Map(
      rows.map((r) => [
        r.scope_id,
        { counts: expandCounts(r.counts), keys: expandKeys(r.keys), exitDays: r.exit_days },
      ]),
    );
  }

  /** The association's stored combinations of insatser for a period. */
  async overlap(m: EntityManager, associationId: string, periodCode: string): Promise<PersonCombination[]> {
    const rows: {
      ids: string[];
      a: number;
      n: number;
      x: number;
      ka: string;
      kn: string;
      kx: string;
    }[] = await m.query(
      `SELECT intervention_ids::text[] AS ids, active_count AS a, new_count AS n, exited_count AS x,
              active_key AS ka, new_key AS kn, exited_key AS kx
         FROM purged_person_overlap WHERE association_id = $1 AND period_code = $2`,
      [associationId, periodCode],
    );
    return rows.map((r) => {
      const cells = {
        active: { count: r.a, key: Number(r.ka) },
        new: { count: r.n, key: Number(r.kn) },
        exited: { count: r.x, key: Number(r.kx) },
      } satisfies PersonCells;
      return { interventionIds: [...r.ids].sort(), cells };
    });
  }

  /**
   * The median days enrolled of the exits of a period in some insatser (or every insats of some associations),
   * whatever retention has deleted: a frozen (insats, year) gives the days kept at its purge, any other its
   * live rows, and since start adds the kept days of the purged exits.
   */
  async medianDaysEnrolled(
    m: EntityManager,
    scope: { interventionIds: readonly string[] } | { associationIds: readonly string[] },
    period: Pick<Period, 'code' | 'start' | 'end' | 'year'>,
  ): Promise<number | null> {
    const [row] = await m.query(
      `WITH i AS (
         SELECT id FROM intervention
          WHERE id = ANY($1::uuid[]) OR association_id = ANY($2::uuid[])),
       frozen AS (
         SELECT pp.intervention_id AS id FROM purged_period pp JOIN i ON i.id = pp.intervention_id
          WHERE pp.year = $5::int)
       SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::float8 AS median FROM (
         SELECT e.exited_on - e.started_on AS d FROM enrolment e JOIN i ON i.id = e.intervention_id
          WHERE e.removed_at IS NULL AND e.exited_on BETWEEN $3::date AND $4::date
            AND e.intervention_id NOT IN (SELECT id FROM frozen)
         UNION ALL
         SELECT unnest(x.days) FROM purged_exit_days x JOIN frozen f ON f.id = x.intervention_id
          WHERE x.period_code = $6
         UNION ALL
         SELECT unnest(b.exit_days) FROM purged_since_start b JOIN i ON i.id = b.scope_id
          WHERE b.scope_type = 'intervention' AND $5::int IS NULL) x`,
      [
        'interventionIds' in scope ? scope.interventionIds : [],
        'associationIds' in scope ? scope.associationIds : [],
        period.start,
        period.end,
        period.year,
        period.code,
      ],
    );
    return row.median;
  }
}
