import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * NNS indicator surveys: questionnaires (configuration, stored so the worker and an admin's uploads share
 * one catalogue), rounds per association and year, anonymous answers, one-time links, and stored results
 * kept correct by the same outbox as period results (survey_dirty: mark + version + sweep).
 *
 * Privacy: survey_response has no respondent identity, no link reference and no time of day (answered_on is
 * a date); survey_link stores only a hash of the token and whether it was used (no time either).
 */
export class IndicatorSurveys1796600000000 implements MigrationInterface {
  name = 'IndicatorSurveys1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE survey_questionnaire (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
        respondent_group text NOT NULL CHECK (respondent_group IN ('participant_ongoing', 'participant_exit',
          'staff', 'board', 'managers', 'referrers')),
        title text NOT NULL,
        valid_from integer NOT NULL CHECK (valid_from BETWEEN 1990 AND 2100),
        definition jsonb NOT NULL,
        content_hash text NOT NULL,
        source text NOT NULL CHECK (source IN ('config', 'api')),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE survey_round (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        association_id uuid NOT NULL REFERENCES association(id) ON DELETE CASCADE,
        questionnaire_id text NOT NULL REFERENCES survey_questionnaire(id),
        year integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
        invited integer NOT NULL CHECK (invited BETWEEN 0 AND 1000000),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX survey_round_association_year_idx ON survey_round(association_id, year);

      -- A round for one or more insatser; a round without rows here is association-wide (e.g. the board).
      CREATE TABLE survey_round_intervention (
        round_id uuid NOT NULL REFERENCES survey_round(id) ON DELETE CASCADE,
        intervention_id uuid NOT NULL REFERENCES intervention(id) ON DELETE CASCADE,
        PRIMARY KEY (round_id, intervention_id)
      );
      CREATE INDEX survey_round_intervention_intervention_idx ON survey_round_intervention(intervention_id);

      -- One imported file per round and content hash: the same file imported twice is stored once.
      CREATE TABLE survey_import (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id uuid NOT NULL REFERENCES survey_round(id) ON DELETE CASCADE,
        content_hash text NOT NULL,
        rows integer NOT NULL,
        imported_on date NOT NULL,
        UNIQUE (round_id, content_hash)
      );

      CREATE TABLE survey_response (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id uuid NOT NULL REFERENCES survey_round(id) ON DELETE CASCADE,
        source text NOT NULL CHECK (source IN ('entered', 'imported', 'web')),
        import_id uuid REFERENCES survey_import(id) ON DELETE CASCADE,
        answered_on date NOT NULL,
        answers jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'object')
      );
      CREATE INDEX survey_response_round_idx ON survey_response(round_id);

      -- The token is the capability; only its SHA-256 is stored. No time of use, no link to the answer.
      CREATE TABLE survey_link (
        token_hash bytea PRIMARY KEY,
        round_id uuid NOT NULL REFERENCES survey_round(id) ON DELETE CASCADE,
        used boolean NOT NULL DEFAULT false
      );
      CREATE INDEX survey_link_round_idx ON survey_link(round_id);

      -- The outbox of survey results: an answer write marks (association, year) dirty in its transaction.
      CREATE TABLE survey_dirty (
        association_id uuid NOT NULL REFERENCES association(id) ON DELETE CASCADE,
        year integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
        version bigint NOT NULL DEFAULT 1,
        marked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (association_id, year)
      );

      -- Results per scope and year, computed by the worker; a read never scans answers.
      CREATE TABLE survey_result (
        scope_type text NOT NULL CHECK (scope_type IN ('intervention', 'association')),
        scope_id uuid NOT NULL,
        year integer NOT NULL,
        body jsonb NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope_type, scope_id, year)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE survey_result; DROP TABLE survey_dirty; DROP TABLE survey_link; DROP TABLE survey_response;
      DROP TABLE survey_import; DROP TABLE survey_round_intervention; DROP TABLE survey_round;
      DROP TABLE survey_questionnaire;
    `);
  }
}
