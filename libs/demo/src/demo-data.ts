// Writes the generated demo association (demo-generator.ts) for `npm run demo`: one transaction, bulk
// inserts through unnest() so ~800 enrolments take a handful of statements, and nothing if it is already there.
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { hashPassword } from '@app/auth/password';
import { todayInStockholm } from '@app/domain';
import {
  DEMO_ORGANISATION_NUMBER,
  DEMO_SEED,
  generateDemoData,
  type DemoData,
  type DemoEnrolment,
  type DemoUser,
} from './demo-generator';

interface DemoLogger {
  log(message: string): void;
}

/** Ids handed out before inserting, so child rows can reference their parents in the same bulk insert. */
interface Ids {
  association: string;
  interventions: Map<string, string>;
  participants: Map<string, string>;
}

export async function loadDemoData(app: INestApplicationContext, logger: DemoLogger): Promise<void> {
  const dataSource = app.get(DataSource);
  const started = Date.now();
  // Checked before hashing: argon2 is deliberately slow and wasted on an installation that has the demo.
  if (await demoExists(dataSource.manager)) {
    logger.log(`Demo association ${DEMO_ORGANISATION_NUMBER} already exists; demo data left unchanged`);
    return;
  }
  const data = generateDemoData(todayInStockholm(), DEMO_SEED);
  const hashes = await hashDistinctPasswords(data.users);
  const written = await dataSource.transaction((tx) => writeDemoData(tx, data, hashes));
  if (!written) {
    logger.log(
      `Demo association ${DEMO_ORGANISATION_NUMBER} was created concurrently; demo data left unchanged`,
    );
    return;
  }
  const live = data.enrolments.filter((e) => e.removedOn === null);
  logger.log(
    `Loaded demo association "${data.association.name}": ${data.interventions.length} interventions, ` +
      `${data.participants.length} participants, ${data.enrolments.length} enrolments ` +
      `(${live.filter((e) => e.exitedOn !== null).length} exited), ${written.users} new users ` +
      `in ${Date.now() - started} ms. Logins: ${data.users.map((u) => u.email).join(', ')}`,
  );
}

async function demoExists(m: EntityManager): Promise<boolean> {
  const rows = await m.query(`SELECT 1 FROM association WHERE organisation_number = $1`, [
    DEMO_ORGANISATION_NUMBER,
  ]);
  return rows.length > 0;
}

/** One hash per distinct password: every demo user shares the password, and each hash costs ~50 ms. */
async function hashDistinctPasswords(users: DemoUser[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const password of new Set(users.map((u) => u.password)))
    hashes.set(password, await hashPassword(password));
  return hashes;
}

/** Returns null (and writes nothing) if the association appeared since the check above. */
async function writeDemoData(
  tx: EntityManager,
  data: DemoData,
  hashes: Map<string, string>,
): Promise<{ users: number } | null> {
  const association = await insertAssociation(tx, data);
  if (!association) return null;
  const ids: Ids = {
    association,
    interventions: new Map(data.interventions.map((i) => [i.key, randomUUID()])),
    participants: new Map(data.participants.map((p) => [p.code, randomUUID()])),
  };
  await insertMembers(tx, data, ids);
  await insertInterventions(tx, data, ids);
  await insertGoals(tx, data, ids);
  const users = await insertUsers(tx, data, ids, hashes);
  await insertParticipants(tx, data, ids);
  await insertEnrolments(tx, data.enrolments, ids);
  await insertAuditRow(tx, data, ids);
  return { users };
}

/** ON CONFLICT makes two demo loaders starting together safe: the loser writes nothing. */
async function insertAssociation(tx: EntityManager, data: DemoData): Promise<string | null> {
  const a = data.association;
  const rows: { id: string }[] = await tx.query(
    `INSERT INTO association (name, organisation_number, county, disclosure_threshold)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (organisation_number) DO NOTHING RETURNING id`,
    [a.name, a.organisationNumber, a.county, a.disclosureThreshold],
  );
  return rows[0]?.id ?? null;
}

async function insertMembers(tx: EntityManager, data: DemoData, ids: Ids): Promise<void> {
  await tx.query(
    `INSERT INTO member_organisation (association_id, kind, name, municipality_code)
     SELECT $1, kind, name, municipality_code FROM unnest($2::text[], $3::text[], $4::text[])
         AS m(kind, name, municipality_code)`,
    [
      ids.association,
      data.members.map((m) => m.kind),
      data.members.map((m) => m.name),
      data.members.map((m) => m.municipalityCode),
    ],
  );
}

async function insertInterventions(tx: EntityManager, data: DemoData, ids: Ids): Promise<void> {
  const list = data.interventions;
  await tx.query(
    `INSERT INTO intervention (id, association_id, name, description, starts_on, ends_on)
     SELECT id, $1, name, description, starts_on, ends_on
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::date[], $6::date[])
         AS i(id, name, description, starts_on, ends_on)`,
    [
      ids.association,
      list.map((i) => ids.interventions.get(i.key)),
      list.map((i) => i.name),
      list.map((i) => i.description),
      list.map((i) => i.startsOn),
      list.map((i) => i.endsOn),
    ],
  );
  const links = list.flatMap((i) => i.municipalityCodes.map((code) => [ids.interventions.get(i.key), code]));
  await tx.query(
    `INSERT INTO intervention_municipality (intervention_id, municipality_code)
     SELECT * FROM unnest($1::uuid[], $2::text[])`,
    [links.map(([id]) => id), links.map(([, code]) => code)],
  );
}

async function insertGoals(tx: EntityManager, data: DemoData, ids: Ids): Promise<void> {
  const goals = data.goals;
  await tx.query(
    `INSERT INTO intervention_goal (intervention_id, year, participants, new_participants, share_work_or_studies,
                                    share_ordinary_intervention)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::numeric[], $6::numeric[])`,
    [
      goals.map((g) => ids.interventions.get(g.interventionKey)),
      goals.map((g) => g.year),
      goals.map((g) => g.participants),
      goals.map((g) => g.newParticipants),
      goals.map((g) => g.shareWorkOrStudies),
      goals.map((g) => g.shareOrdinaryIntervention),
    ],
  );
}

/**
 * Users whose email is already taken (e.g. the bootstrap admin) are left as they are, grants included:
 * the demo must never change an existing account. Returns how many users were created.
 */
async function insertUsers(
  tx: EntityManager,
  data: DemoData,
  ids: Ids,
  hashes: Map<string, string>,
): Promise<number> {
  const users = data.users;
  const created: { id: string; email: string }[] = await tx.query(
    `INSERT INTO app_user (email, password_hash, role, display_name)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (email) DO NOTHING RETURNING id, email`,
    [
      users.map((u) => u.email),
      users.map((u) => hashes.get(u.password)),
      users.map((u) => u.role),
      users.map((u) => u.displayName),
    ],
  );
  const idByEmail = new Map(created.map((r) => [r.email, r.id]));
  const newUsers = users.filter((u) => idByEmail.has(u.email));
  const associationGrants = newUsers.filter((u) => u.associationScoped).map((u) => idByEmail.get(u.email));
  await tx.query(`INSERT INTO user_association (user_id, association_id) SELECT unnest($1::uuid[]), $2`, [
    associationGrants,
    ids.association,
  ]);
  const interventionGrants = newUsers.flatMap((u) =>
    u.interventionKeys.map((key) => [idByEmail.get(u.email), ids.interventions.get(key)]),
  );
  await tx.query(
    `INSERT INTO user_intervention (user_id, intervention_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`,
    [interventionGrants.map(([user]) => user), interventionGrants.map(([, intervention]) => intervention)],
  );
  return created.length;
}

async function insertParticipants(tx: EntityManager, data: DemoData, ids: Ids): Promise<void> {
  await tx.query(
    `INSERT INTO participant (id, association_id, code)
     SELECT id, $1, code FROM unnest($2::uuid[], $3::text[]) AS p(id, code)`,
    [
      ids.association,
      data.participants.map((p) => ids.participants.get(p.code)),
      data.participants.map((p) => p.code),
    ],
  );
}

/**
 * Income-support lists travel as comma-joined text because unnest() would flatten a text[][] parameter
 * (and PostgreSQL arrays must be rectangular). Codes never contain commas; '' becomes '{}'.
 * Timestamps are back-dated to the registration day, as if the coordinators had registered as they went.
 */
async function insertEnrolments(tx: EntityManager, enrolments: DemoEnrolment[], ids: Ids): Promise<void> {
  const column = <T>(pick: (e: DemoEnrolment) => T): T[] => enrolments.map(pick);
  await tx.query(
    `INSERT INTO enrolment (intervention_id, participant_id, started_on, referring_party, gender, age_band,
                            municipality_code, education_level, income_support_at_start, exited_on, exit_reason,
                            income_support_at_exit, removed_at, created_at, updated_at)
     SELECT intervention_id, participant_id, started_on, referring_party, gender, age_band, municipality_code,
            education_level, string_to_array(support_at_start, ','), exited_on, exit_reason,
            string_to_array(support_at_exit, ','),
            (removed_on + time '09:00') AT TIME ZONE 'Europe/Stockholm',
            LEAST((started_on + time '09:00') AT TIME ZONE 'Europe/Stockholm', now()),
            LEAST((GREATEST(started_on, exited_on, removed_on) + time '09:00') AT TIME ZONE 'Europe/Stockholm', now())
       FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::date[], $11::text[], $12::text[], $13::date[])
         AS e(intervention_id, participant_id, started_on, referring_party, gender, age_band, municipality_code,
              education_level, support_at_start, exited_on, exit_reason, support_at_exit, removed_on)`,
    [
      column((e) => ids.interventions.get(e.interventionKey)),
      column((e) => ids.participants.get(e.participantCode)),
      column((e) => e.startedOn),
      column((e) => e.referringParty),
      column((e) => e.gender),
      column((e) => e.ageBand),
      column((e) => e.municipalityCode),
      column((e) => e.educationLevel),
      column((e) => e.incomeSupportAtStart.join(',')),
      column((e) => e.exitedOn),
      column((e) => e.exitReason),
      column((e) => e.incomeSupportAtExit?.join(',') ?? null),
      column((e) => e.removedOn),
    ],
  );
}

async function insertAuditRow(tx: EntityManager, data: DemoData, ids: Ids): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (action, entity_type, entity_id, association_id, details)
     VALUES ('create', 'demo_data', $1, $2, $3::jsonb)`,
    [
      ids.association,
      ids.association,
      JSON.stringify({ interventions: data.interventions.length, enrolments: data.enrolments.length }),
    ],
  );
}
