import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Period results and the outbox that keeps them correct. A write to an enrolment marks every affected
 * (intervention, year) dirty in the same transaction; the worker recomputes and clears the mark only if
 * it was not marked again meanwhile (version check), so no update is ever lost.
 */
export class AggregationResults1795458232000 implements MigrationInterface {
  name = 'AggregationResults1795458232000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE aggregation_dirty (
        intervention_id uuid NOT NULL REFERENCES intervention(id) ON DELETE CASCADE,
        year integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
        version bigint NOT NULL DEFAULT 1,
        marked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (intervention_id, year)
      );

      -- One row per scope and period: the counts of domain.md, computed by the worker (never by a request).
      CREATE TABLE period_result (
        scope_type text NOT NULL CHECK (scope_type IN ('intervention', 'association')),
        scope_id uuid NOT NULL,
        period_code text NOT NULL,
        year integer,
        period_start date NOT NULL,
        period_end date NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        counts jsonb NOT NULL,
        PRIMARY KEY (scope_type, scope_id, period_code)
      );

      CREATE TABLE aggregation_run (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('recompute', 'rebuild')),
        scope_id uuid,
        year integer,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL DEFAULT now(),
        enrolments integer NOT NULL,
        results integer NOT NULL
      );
      CREATE INDEX aggregation_run_finished_idx ON aggregation_run(finished_at DESC);

      -- Existing installations: every (intervention, year) with enrolments needs its first results.
      INSERT INTO aggregation_dirty (intervention_id, year)
      SELECT DISTINCT e.intervention_id,
             generate_series(extract(year FROM e.started_on)::int,
                             extract(year FROM COALESCE(e.exited_on, greatest(e.started_on, current_date)))::int)
        FROM enrolment e;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE aggregation_run; DROP TABLE period_result; DROP TABLE aggregation_dirty;`);
  }
}
