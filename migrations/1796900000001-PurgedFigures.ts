import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, retention: what a purge keeps so that no report number of the purged periods changes afterwards,
 * all of it aggregates (counts, cell keys, lists of days, counts of persons by combination of insatser):
 * - purged_since_start: per insats and association, what the purged rows added to "since start" (all rows'
 *   figures minus the remaining rows', several purges added up), and the days enrolled of the purged exits;
 *   every later since-start result is the remaining rows' figures plus these;
 * - purged_person_overlap: how many persons were in exactly a combination of two or more insatser of the
 *   association (with the sum of their participant keys), per period of each frozen year (at its first purge),
 *   and for since-start the difference the purged rows made (several purges added up);
 * - purged_exit_days: the days enrolled of the exits of each frozen (insats, period) at its purge;
 * - add_result_cells: adds two stored result documents (counts, or cell keys modulo 2^48) cell by cell.
 */
export class PurgedFigures1796900000001 implements MigrationInterface {
  name = 'PurgedFigures1796900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Cell by cell sum of two documents of the stored shape (compactCounts / compactKeys): a cell missing on
      -- one side is zero there; with a modulus (cell keys), each sum modulo it. A key of b missing or null keeps
      -- a's value, so a base without a median leaves the live median as it is.
      CREATE FUNCTION add_result_cells(a jsonb, b jsonb, modulus numeric) RETURNS jsonb
      LANGUAGE plpgsql IMMUTABLE AS $$
      DECLARE
        result jsonb := '{}';
        k text;
      BEGIN
        IF b IS NULL OR jsonb_typeof(b) = 'null' THEN RETURN a; END IF;
        IF a IS NULL OR jsonb_typeof(a) = 'null' THEN RETURN b; END IF;
        IF jsonb_typeof(a) = 'number' AND jsonb_typeof(b) = 'number' THEN
          RETURN to_jsonb(CASE WHEN modulus IS NULL THEN a::numeric + b::numeric
                               ELSE (a::numeric + b::numeric) % modulus END);
        END IF;
        IF jsonb_typeof(a) = 'object' AND jsonb_typeof(b) = 'object' THEN
          FOR k IN SELECT jsonb_object_keys(a) UNION SELECT jsonb_object_keys(b) LOOP
            result := result || jsonb_build_object(k, add_result_cells(a -> k, b -> k, modulus));
          END LOOP;
          RETURN result;
        END IF;
        RAISE EXCEPTION 'add_result_cells: cannot add % to %', jsonb_typeof(b), jsonb_typeof(a);
      END $$;

      -- Polymorphic like period_result (an insats or an association).
      CREATE TABLE purged_since_start (
        scope_type text NOT NULL CHECK (scope_type IN ('intervention', 'association')),
        scope_id uuid NOT NULL,
        counts jsonb NOT NULL,
        keys jsonb NOT NULL,
        -- Sorted; an insats' own purged exits (an association's are the union of its insatser's).
        exit_days integer[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope_type, scope_id)
      );

      CREATE TABLE purged_person_overlap (
        association_id uuid NOT NULL REFERENCES association(id) ON DELETE CASCADE,
        period_code text NOT NULL,
        intervention_ids uuid[] NOT NULL CHECK (cardinality(intervention_ids) >= 2),
        active_count integer NOT NULL,
        new_count integer NOT NULL,
        exited_count integer NOT NULL,
        active_key bigint NOT NULL CHECK (active_key >= 0 AND active_key < 281474976710656),
        new_key bigint NOT NULL CHECK (new_key >= 0 AND new_key < 281474976710656),
        exited_key bigint NOT NULL CHECK (exited_key >= 0 AND exited_key < 281474976710656),
        PRIMARY KEY (association_id, period_code, intervention_ids)
      );

      CREATE TABLE purged_exit_days (
        intervention_id uuid NOT NULL REFERENCES intervention(id) ON DELETE CASCADE,
        period_code text NOT NULL,
        days integer[] NOT NULL,
        PRIMARY KEY (intervention_id, period_code)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE purged_exit_days;
      DROP TABLE purged_person_overlap;
      DROP TABLE purged_since_start;
      DROP FUNCTION add_result_cells(jsonb, jsonb, numeric);
    `);
  }
}
