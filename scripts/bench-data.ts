// Synthetic national-scale data for the benchmarks, loaded with COPY. Deterministic for a given scale.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface Scale {
  enrolments: number;
  associations: number;
  interventionsPerAssociation: number;
  years: number;
}

export const TODAY = new Date().toISOString().slice(0, 10);
const MUNICIPALITIES = [
  '0114',
  '0115',
  '0117',
  '0120',
  '0123',
  '0125',
  '0126',
  '0127',
  '0128',
  '0136',
  '0138',
  '0139',
  '0140',
  '0160',
  '0162',
  '0163',
  '0180',
  '0181',
  '0182',
  '0183',
  '0184',
  '0186',
  '0187',
  '0188',
  '0191',
  '0192',
];
const GENDERS = ['woman', 'man', 'man', 'woman', 'unspecified'];
const PARTIES = [
  'employment_service',
  'social_insurance',
  'social_services',
  'municipal_activity_responsibility',
  'school',
  'healthcare',
  'self_referral',
  'other',
];
const BANDS = ['16-18', '19-20', '21-24', '25-29', '30-39', '40-49', '50-59', '60-66'];
const EDUCATION = ['none_completed', 'compulsory', 'upper_secondary', 'post_secondary', 'unspecified'];
const REASONS = [
  'work',
  'work',
  'studies',
  'employment_service_programme',
  'municipal_programme',
  'sickness',
  'moved',
  'withdrew',
  'other',
  'continued_rehabilitation',
];

// Small seeded generator so every run loads the same data.
let seed = 20261123;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
const DAY = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

export interface Plan {
  associations: { id: string; name: string }[];
  interventions: { id: string; associationId: string; startsOn: string; municipality: string }[];
}

export function plan(SCALE: Scale): Plan {
  const FIRST_YEAR = Number(TODAY.slice(0, 4)) - SCALE.years + 1;
  const associations = Array.from({ length: SCALE.associations }, (_, i) => ({
    id: randomUUID(),
    name: `Bänkförbund ${i + 1}`,
  }));
  const interventions = associations.flatMap((a) =>
    Array.from({ length: SCALE.interventionsPerAssociation }, () => ({
      id: randomUUID(),
      associationId: a.id,
      startsOn: isoOf(dayNumber(`${FIRST_YEAR}-01-01`) + Math.floor(rand() * 180)),
      municipality: pick(MUNICIPALITIES),
    })),
  );
  return { associations, interventions };
}

async function copy(client: Client, sql: string, rows: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(rows), client.query(copyFrom(sql)));
}

function* participantsAndEnrolments(
  SCALE: Scale,
  p: Plan,
  participants: string[][],
): Generator<[string, string]> {
  const today = dayNumber(TODAY);
  const perIntervention = Math.ceil(SCALE.enrolments / p.interventions.length);
  let made = 0;
  for (const [index, i] of p.interventions.entries()) {
    const pool = participants[Math.floor(index / SCALE.interventionsPerAssociation)];
    const start = dayNumber(i.startsOn);
    for (let n = 0; n < perIntervention && made < SCALE.enrolments; n++, made++) {
      const started = start + Math.floor(rand() * (today - start));
      const exitDay = started + Math.floor(rand() * 600);
      const exited = exitDay <= today && rand() < 0.9;
      // About 3 % are people seen before in the association (only as exited enrolments: one open each).
      const reuse = exited && rand() < 0.03 && pool.length > 0;
      const participantId = reuse ? pick(pool) : randomUUID();
      if (!reuse) pool.push(participantId);
      const sa = rand() < 0.45 ? '{social_assistance}' : '{salary}';
      yield [
        participantId,
        [
          randomUUID(),
          i.id,
          participantId,
          isoOf(started),
          pick(PARTIES),
          pick(GENDERS),
          pick(BANDS),
          i.municipality,
          pick(EDUCATION),
          sa,
          exited ? isoOf(exitDay) : '\\N',
          exited ? pick(REASONS) : '\\N',
          exited ? (rand() < 0.2 ? '{social_assistance}' : '{salary}') : '\\N',
          rand() < 0.005 ? new Date().toISOString() : '\\N',
        ].join('\t') + '\n',
      ];
    }
  }
}

export async function load(url: string, SCALE: Scale, p: Plan): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = Date.now();
  await copy(
    client,
    'COPY association (id, name) FROM STDIN',
    p.associations.map((a) => `${a.id}\t${a.name}\n`),
  );
  await copy(
    client,
    'COPY intervention (id, association_id, name, starts_on) FROM STDIN',
    p.interventions.map((i, n) => `${i.id}\t${i.associationId}\tBänkinsats ${n + 1}\t${i.startsOn}\n`),
  );
  await copy(
    client,
    'COPY intervention_municipality (intervention_id, municipality_code) FROM STDIN',
    p.interventions.map((i) => `${i.id}\t${i.municipality}\n`),
  );
  // Participants are unique per association: collect them while the enrolments stream.
  const participants = p.associations.map(() => [] as string[]);
  const participantRows: string[] = [];
  const seen = new Set<string>();
  const enrolmentRows = (function* () {
    for (const [participantId, row] of participantsAndEnrolments(SCALE, p, participants)) {
      if (!seen.has(participantId)) {
        seen.add(participantId);
        participantRows.push(participantId);
      }
      yield row;
    }
  })();
  // Enrolments stream in before their participants exist: no foreign key and no copy of the participant's key
  // (a trigger) while loading; both are put back once the participants are in.
  await client.query(`ALTER TABLE enrolment DROP CONSTRAINT enrolment_participant_id_fkey;
    ALTER TABLE enrolment DISABLE TRIGGER enrolment_participant_key;
    ALTER TABLE enrolment ALTER COLUMN participant_key DROP NOT NULL`);
  await copy(
    client,
    `COPY enrolment (id, intervention_id, participant_id, started_on, referring_party, gender, age_band,
    municipality_code, education_level, income_support_at_start, exited_on, exit_reason, income_support_at_exit, removed_at) FROM STDIN`,
    enrolmentRows,
  );
  const ownerOf = new Map<string, string>();
  for (const [a, pool] of participants.entries())
    for (const id of pool) ownerOf.set(id, p.associations[a].id);
  await copy(
    client,
    'COPY participant (id, association_id, code) FROM STDIN',
    participantRows.map((id, n) => `${id}\t${ownerOf.get(id)}\tB-${n}\n`),
  );
  await client.query(`ALTER TABLE enrolment ADD CONSTRAINT enrolment_participant_id_fkey
      FOREIGN KEY (participant_id) REFERENCES participant(id);
    UPDATE enrolment e SET participant_key = p.disclosure_key FROM participant p WHERE p.id = e.participant_id;
    ALTER TABLE enrolment ALTER COLUMN participant_key SET NOT NULL;
    ALTER TABLE enrolment ENABLE TRIGGER enrolment_participant_key`);
  await client.query('ANALYZE');
  await client.end();
  return Date.now() - started;
}
