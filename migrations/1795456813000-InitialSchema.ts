import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The registry: associations, interventions, participants (pseudonymous codes only), enrolments with
 * their exits, users and the audit log. Code lists are spelled out here on purpose: a migration is a
 * reviewed, frozen statement of the schema, not derived from code that may change later.
 */
export class InitialSchema1795456813000 implements MigrationInterface {
  name = 'InitialSchema1795456813000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE municipality (
        code char(4) PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),
        name text NOT NULL,
        county_code char(2) NOT NULL
      );

      CREATE TABLE association (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        organisation_number text UNIQUE CHECK (organisation_number ~ '^[0-9]{6}-[0-9]{4}$'),
        county text,
        disclosure_threshold integer NOT NULL DEFAULT 3 CHECK (disclosure_threshold BETWEEN 2 AND 50),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE member_organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        association_id uuid NOT NULL REFERENCES association(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('employment_service', 'social_insurance', 'region', 'municipality')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        municipality_code char(4) REFERENCES municipality(code),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'municipality') = (municipality_code IS NOT NULL))
      );
      CREATE INDEX member_organisation_association_idx ON member_organisation(association_id);

      CREATE TABLE intervention (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        association_id uuid NOT NULL REFERENCES association(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text,
        starts_on date NOT NULL,
        ends_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_on IS NULL OR ends_on >= starts_on)
      );
      CREATE INDEX intervention_association_idx ON intervention(association_id);

      CREATE TABLE intervention_municipality (
        intervention_id uuid NOT NULL REFERENCES intervention(id) ON DELETE CASCADE,
        municipality_code char(4) NOT NULL REFERENCES municipality(code),
        PRIMARY KEY (intervention_id, municipality_code)
      );

      CREATE TABLE intervention_goal (
        intervention_id uuid NOT NULL REFERENCES intervention(id) ON DELETE CASCADE,
        year integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
        participants integer CHECK (participants >= 0),
        new_participants integer CHECK (new_participants >= 0),
        share_work_or_studies numeric(5, 4) CHECK (share_work_or_studies BETWEEN 0 AND 1),
        share_ordinary_intervention numeric(5, 4) CHECK (share_ordinary_intervention BETWEEN 0 AND 1),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (intervention_id, year)
      );

      -- A participant is only a pseudonymous code chosen by the insats, unique within its association.
      CREATE TABLE participant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        association_id uuid NOT NULL REFERENCES association(id),
        code text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (association_id, code)
      );

      -- One participant in one intervention; the exit is 1:1 with the enrolment, so it lives here.
      CREATE TABLE enrolment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        intervention_id uuid NOT NULL REFERENCES intervention(id),
        participant_id uuid NOT NULL REFERENCES participant(id),
        started_on date NOT NULL,
        referring_party text NOT NULL CHECK (referring_party IN ('employment_service', 'social_insurance',
          'social_services', 'municipal_activity_responsibility', 'school', 'healthcare', 'lss_daily_activity',
          'other_intervention', 'self_referral', 'other')),
        gender text NOT NULL CHECK (gender IN ('woman', 'man', 'unspecified')),
        age_band text NOT NULL CHECK (age_band IN ('16-18', '19-20', '21-24', '25-29', '30-39', '40-49',
          '50-59', '60-66', 'unspecified')),
        municipality_code char(4) NOT NULL REFERENCES municipality(code),
        education_level text NOT NULL DEFAULT 'unspecified' CHECK (education_level IN ('none_completed',
          'compulsory', 'upper_secondary', 'post_secondary', 'unspecified')),
        income_support_at_start text[] NOT NULL DEFAULT '{}' CHECK (income_support_at_start <@ ARRAY[
          'social_assistance', 'activity_compensation', 'sickness_compensation', 'sickness_benefit',
          'unemployment_benefit', 'activity_support', 'salary', 'student_aid', 'none', 'unspecified']::text[]),
        exited_on date,
        exit_reason text CHECK (exit_reason IN ('work', 'studies', 'employment_service_programme',
          'municipal_programme', 'daily_activity', 'other_intervention', 'continued_rehabilitation', 'sickness',
          'moved', 'parental_leave', 'withdrew', 'other')),
        income_support_at_exit text[] CHECK (income_support_at_exit <@ ARRAY[
          'social_assistance', 'activity_compensation', 'sickness_compensation', 'sickness_benefit',
          'unemployment_benefit', 'activity_support', 'salary', 'student_aid', 'none', 'unspecified']::text[]),
        -- Set when the enrolment is withdrawn as a registration error: excluded from all statistics.
        removed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((exited_on IS NULL) = (exit_reason IS NULL)),
        CHECK (exited_on IS NULL OR exited_on >= started_on),
        CHECK (exited_on IS NOT NULL OR income_support_at_exit IS NULL)
      );
      CREATE UNIQUE INDEX enrolment_one_open_per_participant
        ON enrolment(intervention_id, participant_id) WHERE exited_on IS NULL AND removed_at IS NULL;
      CREATE INDEX enrolment_intervention_started_idx ON enrolment(intervention_id, started_on);
      CREATE INDEX enrolment_participant_idx ON enrolment(participant_id);

      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'coordinator', 'evaluator', 'board')),
        display_name text,
        active boolean NOT NULL DEFAULT true,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX app_user_email_key ON app_user(email);

      CREATE TABLE user_association (
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        association_id uuid NOT NULL REFERENCES association(id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, association_id)
      );
      CREATE TABLE user_intervention (
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        intervention_id uuid NOT NULL REFERENCES intervention(id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, intervention_id)
      );

      -- Who did what, when. Holds ids, participant codes and changed field names; never participant attributes.
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        actor_role text,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        association_id uuid,
        intervention_id uuid,
        changed_fields text[] NOT NULL DEFAULT '{}',
        details jsonb NOT NULL DEFAULT '{}',
        correlation_id text
      );
      CREATE INDEX audit_log_entity_idx ON audit_log(entity_type, entity_id);
      CREATE INDEX audit_log_occurred_idx ON audit_log(occurred_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_log;
      DROP TABLE user_intervention;
      DROP TABLE user_association;
      DROP TABLE app_user;
      DROP TABLE enrolment;
      DROP TABLE participant;
      DROP TABLE intervention_goal;
      DROP TABLE intervention_municipality;
      DROP TABLE intervention;
      DROP TABLE member_organisation;
      DROP TABLE association;
      DROP TABLE municipality;
    `);
  }
}
