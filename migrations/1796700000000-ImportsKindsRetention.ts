import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11: the kind of an insats (only individual-oriented ones have participants), bulk imports (the
 * uploaded file and its parsed rows live in PostgreSQL so the worker, a separate process, can read them),
 * and retention (per-association months, and the periods whose participant rows were purged: their stored
 * results are final and the aggregation never recomputes them from the rows that are left).
 */
export class ImportsKindsRetention1796700000000 implements MigrationInterface {
  name = 'ImportsKindsRetention1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE intervention
        ADD COLUMN kind text NOT NULL DEFAULT 'individual' CHECK (kind IN ('individual', 'structural'));

      -- Null: the installation's default (RETENTION_MONTHS).
      ALTER TABLE association
        ADD COLUMN retention_months integer CHECK (retention_months BETWEEN 1 AND 1200);

      CREATE TABLE import_job (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        association_id uuid NOT NULL REFERENCES association(id) ON DELETE CASCADE,
        uploaded_by uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
        status text NOT NULL DEFAULT 'validating'
          CHECK (status IN ('validating', 'validated', 'committing', 'done', 'failed')),
        -- The uploaded bytes, cleared once the import is done or failed (participant data is not kept twice).
        file bytea,
        file_size integer NOT NULL,
        rows integer,
        processed integer NOT NULL DEFAULT 0,
        problem_count integer NOT NULL DEFAULT 0,
        problems jsonb NOT NULL DEFAULT '[]',
        -- Field → the heading the file used for it, so problems found later name the file's own columns.
        headings jsonb NOT NULL DEFAULT '{}',
        summary jsonb,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        validated_at timestamptz,
        finished_at timestamptz
      );
      CREATE INDEX import_job_uploaded_by_idx ON import_job(uploaded_by, created_at DESC);
      CREATE INDEX import_job_pending_idx ON import_job(updated_at) WHERE status IN ('validating', 'committing');

      -- The validated rows of an import, codes resolved: the commit turns them into enrolments in one statement.
      CREATE TABLE import_row (
        import_id uuid NOT NULL REFERENCES import_job(id) ON DELETE CASCADE,
        row_no integer NOT NULL,
        intervention_id uuid NOT NULL,
        participant_code text NOT NULL,
        started_on date NOT NULL,
        referring_party text NOT NULL,
        gender text NOT NULL,
        age_band text NOT NULL,
        municipality_code char(4) NOT NULL,
        education_level text NOT NULL,
        income_support_at_start text[] NOT NULL,
        exited_on date,
        exit_reason text,
        income_support_at_exit text[],
        participant_id uuid,
        enrolment_id uuid,
        outcome text CHECK (outcome IN ('create', 'exit', 'unchanged')),
        PRIMARY KEY (import_id, row_no)
      );

      -- The natural key of an imported enrolment: (participant, insats, start date). It leads with the
      -- participant, so it also serves every lookup the participant index did: one index less to maintain.
      CREATE INDEX enrolment_natural_key_idx ON enrolment(participant_id, intervention_id, started_on);
      DROP INDEX IF EXISTS enrolment_participant_idx;

      CREATE TABLE purged_period (
        intervention_id uuid NOT NULL REFERENCES intervention(id) ON DELETE CASCADE,
        year integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
        purged_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (intervention_id, year)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE purged_period;
      CREATE INDEX IF NOT EXISTS enrolment_participant_idx ON enrolment(participant_id);
      DROP INDEX enrolment_natural_key_idx;
      DROP TABLE import_row;
      DROP TABLE import_job;
      ALTER TABLE association DROP COLUMN retention_months;
      ALTER TABLE intervention DROP COLUMN kind;
    `);
  }
}
