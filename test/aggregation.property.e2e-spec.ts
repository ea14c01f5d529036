import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AggregationRepository } from '../libs/aggregation/src/aggregation.repository';
import { PurgedFiguresRepository } from '../libs/aggregation/src/purged-figures.repository';
import { RecomputeService } from '../libs/aggregation/src/recompute.service';
import { dataSourceOptions } from '../libs/database/src/data-source.options';
import { todayInStockholm } from '../libs/domain/src/calendar-date';
import {
  computePeriodKeys,
  expandKeys,
  type KeyedFact,
} from '../libs/domain/src/disclosure-control-cell-key';
import { expandCounts } from '../libs/domain/src/metrics';
import { yearsTouched } from '../libs/domain/src/periods';
import { insertPropertyScope, respectOpenUniqueness } from './helpers/property-scope';

/**
 * For random enrolments and exits, every stored result equals a naive recomputation written here
 * independently of the code under test (plain loops over the raw rows, dates as Date objects), and its
 * stored cell keys equal `computePeriodKeys` over the raw rows with their record keys.
 */

const GENDERS = ['woman', 'man', 'unspecified'] as const;
const REASONS = [
  'work',
  'studies',
  'employment_service_programme',
  'municipal_programme',
  'daily_activity',
  'other_intervention',
  'continued_rehabilitation',
  'sickness',
  'moved',
  'parental_leave',
  'withdrew',
  'other',
] as const;
const PARTIES = [
  'employment_service',
  'social_insurance',
  'social_services',
  'school',
  'self_referral',
] as const;
const BANDS = ['16-18', '19-20', '25-29', '60-66', 'unspecified'] as const;
const EDUCATION = ['none_completed', 'compulsory', 'upper_secondary', 'unspecified'] as const;
const MUNICIPALITIES = ['0136', '0138', '0192'] as const;
const WORK_OR_STUDIES = new Set(['work', 'studies']);

interface Row {
  intervention: number;
  participant: number;
  startedOn: string;
  exitedOn: string | null;
  gender: (typeof GENDERS)[number];
  party: (typeof PARTIES)[number];
  band: (typeof BANDS)[number];
  education: (typeof EDUCATION)[number];
  municipality: (typeof MUNICIPALITIES)[number];
  reason: (typeof REASONS)[number] | null;
  saStart: boolean;
  saExit: boolean;
  removed: boolean;
}

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (s: string, n: number) => iso(new Date(day(s).getTime() + n * 86_400_000));

// Boundary days weigh heavily: first and last days of quarters, and the leap day.
const SPECIAL_DAYS = [
  '2020-01-01',
  '2020-02-29',
  '2020-03-31',
  '2020-04-01',
  '2020-06-30',
  '2020-07-01',
  '2020-09-30',
  '2020-10-01',
  '2020-12-31',
  '2021-01-01',
  '2021-03-31',
  '2021-06-30',
  '2021-07-01',
  '2021-12-31',
  '2019-12-31',
];
const dateArb = fc.oneof(
  fc.constantFrom(...SPECIAL_DAYS),
  fc.integer({ min: 0, max: 800 }).map((n) => addDays('2019-12-20', n)),
);
const durationArb = fc.oneof(
  fc.constant(null), // open
  fc.constant(0), // same-day start and exit
  fc.integer({ min: 1, max: 700 }),
  fc.constantFrom(1, 89, 90, 91, 365, 366),
);
const rowArb: fc.Arbitrary<Row> = fc
  .record({
    intervention: fc.integer({ min: 0, max: 1 }),
    participant: fc.integer({ min: 0, max: 12 }),
    startedOn: dateArb,
    duration: durationArb,
    gender: fc.constantFrom(...GENDERS),
    party: fc.constantFrom(...PARTIES),
    band: fc.constantFrom(...BANDS),
    education: fc.constantFrom(...EDUCATION),
    municipality: fc.constantFrom(...MUNICIPALITIES),
    reason: fc.constantFrom(...REASONS),
    saStart: fc.boolean(),
    saExit: fc.boolean(),
    removed: fc.boolean().map((b) => b && Math.random() < 0.3),
  })
  .map(({ duration, reason, saExit, ...r }) => {
    const exitedOn = duration === null ? null : addDays(r.startedOn, duration);
    const exits = exitedOn !== null && exitedOn <= '2026-01-01';
    return {
      ...r,
      exitedOn: exits ? exitedOn : null,
      reason: exits ? reason : null,
      saExit: exits ? saExit : false,
    };
  });

interface Naive {
  active: Record<string, number>;
  new: Record<string, number>;
  exited: Record<string, number>;
  exitsByReason: Record<string, Record<string, number>>;
  newByReferringParty: Record<string, Record<string, number>>;
  newByAgeBand: Record<string, Record<string, number>>;
  newByEducationLevel: Record<string, Record<string, number>>;
  newByMunicipality: Record<string, Record<string, number>>;
  exitsByMunicipalityAndReason: Record<string, Record<string, number>>;
  socialAssistance: { atStart: number; atExit: number };
  medianDaysEnrolled: number | null;
  persons: { active: number; new: number; exited: number };
  workOrStudies: number;
}

function naive(rows: Row[], start: string, end: string): Naive {
  const s = day(start).getTime();
  const e = day(end).getTime();
  const live = rows.filter((r) => !r.removed);
  const active = live.filter(
    (r) => day(r.startedOn).getTime() <= e && (r.exitedOn === null || day(r.exitedOn).getTime() >= s),
  );
  const fresh = live.filter((r) => day(r.startedOn).getTime() >= s && day(r.startedOn).getTime() <= e);
  const exited = live.filter(
    (r) => r.exitedOn !== null && day(r.exitedOn).getTime() >= s && day(r.exitedOn).getTime() <= e,
  );
  const byGender = (list: Row[]) => ({
    woman: list.filter((r) => r.gender === 'woman').length,
    man: list.filter((r) => r.gender === 'man').length,
    unspecified: list.filter((r) => r.gender === 'unspecified').length,
    total: list.length,
  });
  const groupBy = (list: Row[], key: (r: Row) => string) => {
    const out: Record<string, Record<string, number>> = {};
    for (const k of new Set(list.map(key))) out[k] = byGender(list.filter((r) => key(r) === k));
    return out;
  };
  const days = exited
    .map((r) => Math.round((day(r.exitedOn!).getTime() - day(r.startedOn).getTime()) / 86_400_000))
    .sort((a, b) => a - b);
  const mid = Math.floor(days.length / 2);
  const byMunicipalityAndReason: Record<string, Record<string, number>> = {};
  for (const r of exited) {
    byMunicipalityAndReason[r.municipality] ??= {};
    byMunicipalityAndReason[r.municipality][r.reason!] =
      (byMunicipalityAndReason[r.municipality][r.reason!] ?? 0) + 1;
  }
  const persons = (list: Row[]) => new Set(list.map((r) => `${r.participant}`)).size;
  return {
    active: byGender(active),
    new: byGender(fresh),
    exited: byGender(exited),
    exitsByReason: groupBy(exited, (r) => r.reason!),
    newByReferringParty: groupBy(fresh, (r) => r.party),
    newByAgeBand: groupBy(fresh, (r) => r.band),
    newByEducationLevel: groupBy(fresh, (r) => r.education),
    newByMunicipality: groupBy(fresh, (r) => r.municipality),
    exitsByMunicipalityAndReason: byMunicipalityAndReason,
    socialAssistance: {
      atStart: exited.filter((r) => r.saStart).length,
      atExit: exited.filter((r) => r.saExit).length,
    },
    medianDaysEnrolled:
      days.length === 0 ? null : days.length % 2 ? days[mid] : (days[mid - 1] + days[mid]) / 2,
    persons: { active: persons(active), new: persons(fresh), exited: persons(exited) },
    workOrStudies: exited.filter((r) => WORK_OR_STUDIES.has(r.reason!)).length,
  };
}

/** The stored counts in the naive shape: zero cells dropped so both sides compare cell by cell. */
function storedAsNaive(counts: Record<string, unknown>): Naive {
  const c = expandCounts(counts);
  const nonZero = (m: Record<string, Record<string, number>>) =>
    Object.fromEntries(Object.entries(m).filter(([, v]) => v.total > 0));
  const byMunicipalityAndReason = Object.fromEntries(
    Object.entries(c.exitsByMunicipalityAndReason).map(([m, reasons]) => [
      m,
      Object.fromEntries(Object.entries(reasons).filter(([, n]) => n > 0)),
    ]),
  );
  return {
    active: c.active,
    new: c.new,
    exited: c.exited,
    exitsByReason: nonZero(c.exitsByReason),
    newByReferringParty: nonZero(c.newByReferringParty),
    newByAgeBand: nonZero(c.newByAgeBand),
    newByEducationLevel: nonZero(c.newByEducationLevel),
    newByMunicipality: nonZero(c.newByMunicipality),
    exitsByMunicipalityAndReason: byMunicipalityAndReason,
    socialAssistance: c.socialAssistance,
    medianDaysEnrolled: c.medianDaysEnrolled,
    persons: c.persons,
    workOrStudies: c.exitsByReason.work.total + c.exitsByReason.studies.total,
  };
}

const PERIODS: [string, string, string][] = [];
for (const y of [2019, 2020, 2021, 2022]) {
  PERIODS.push(
    [`${y}`, `${y}-01-01`, `${y}-12-31`],
    [`${y}-H1`, `${y}-01-01`, `${y}-06-30`],
    [`${y}-H2`, `${y}-07-01`, `${y}-12-31`],
  );
  PERIODS.push(
    [`${y}-Q1`, `${y}-01-01`, `${y}-03-31`],
    [`${y}-Q2`, `${y}-04-01`, `${y}-06-30`],
    [`${y}-Q3`, `${y}-07-01`, `${y}-09-30`],
    [`${y}-Q4`, `${y}-10-01`, `${y}-12-31`],
  );
  PERIODS.push(
    [`${y}-YTD-Q1`, `${y}-01-01`, `${y}-03-31`],
    [`${y}-YTD-Q2`, `${y}-01-01`, `${y}-06-30`],
    [`${y}-YTD-Q3`, `${y}-01-01`, `${y}-09-30`],
  );
}

describe('aggregation equals a naive recomputation (property-based, real database)', () => {
  let db: DataSource;
  let recompute: RecomputeService;
  const associationId = randomUUID();
  const interventionIds = [randomUUID(), randomUUID()];
  const participantIds = Array.from({ length: 13 }, () => randomUUID());

  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
    recompute = new RecomputeService(db, new AggregationRepository(), new PurgedFiguresRepository());
    await insertPropertyScope(db, {
      associationId,
      name: 'Property test',
      interventions: interventionIds.map((id) => ({ id, startsOn: '2019-12-01' })),
      participantIds,
    });
  });
  afterAll(() => db.destroy());

  async function load(rows: Row[]): Promise<void> {
    await db.query(`DELETE FROM enrolment WHERE intervention_id = ANY($1)`, [interventionIds]);
    await db.query(`DELETE FROM period_result WHERE scope_id = ANY($1) OR scope_id = $2`, [
      interventionIds,
      associationId,
    ]);
    await insertRows(rows);
  }

  async function insertRows(rows: Row[]): Promise<void> {
    for (const r of rows) {
      await db.query(
        `INSERT INTO enrolment (intervention_id, participant_id, started_on, referring_party, gender, age_band,
           municipality_code, education_level, income_support_at_start, exited_on, exit_reason, income_support_at_exit, removed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          interventionIds[r.intervention],
          participantIds[r.participant],
          r.startedOn,
          r.party,
          r.gender,
          r.band,
          r.municipality,
          r.education,
          r.saStart ? ['social_assistance'] : ['salary'],
          r.exitedOn,
          r.reason,
          r.exitedOn === null ? null : r.saExit ? ['social_assistance'] : [],
          r.removed ? new Date() : null,
        ],
      );
    }
  }

  /** Every stored result of the association and its interventions, without the time it was computed. */
  async function snapshot(): Promise<Record<string, unknown>[]> {
    return db.query(
      `SELECT scope_type, scope_id, period_code, year, period_start::text, period_end::text, counts, keys
         FROM period_result WHERE scope_id = ANY($1) OR scope_id = $2 ORDER BY scope_type, scope_id, period_code`,
      [interventionIds, associationId],
    );
  }

  /** The live rows with their record keys, as the domain's keyed facts (the oracle of the stored keys). */
  async function keyedFacts(): Promise<(KeyedFact & { interventionId: string })[]> {
    return db.query(
      `SELECT e.intervention_id AS "interventionId", e.participant_id AS "participantId",
              e.started_on::text AS "startedOn", e.exited_on::text AS "exitedOn", e.gender,
              e.referring_party AS "referringParty", e.age_band AS "ageBand", e.education_level AS "educationLevel",
              e.municipality_code::text AS municipality, e.exit_reason AS "exitReason",
              'social_assistance' = ANY(e.income_support_at_start) AS "socialAssistanceAtStart",
              COALESCE('social_assistance' = ANY(e.income_support_at_exit), false) AS "socialAssistanceAtExit",
              e.disclosure_key::float8 AS "enrolmentKey", pa.disclosure_key::float8 AS "participantKey"
         FROM enrolment e JOIN participant pa ON pa.id = e.participant_id
        WHERE e.intervention_id = ANY($1) AND e.removed_at IS NULL`,
      [interventionIds],
    );
  }

  async function expectStoredEqualsNaive(rows: Row[]): Promise<void> {
    const stored = await db.query(
      `SELECT scope_type, scope_id, period_code, counts, keys FROM period_result WHERE scope_id = ANY($1) OR scope_id = $2`,
      [interventionIds, associationId],
    );
    const keysOf = new Map<string, Record<string, unknown> | null>(
      stored.map((s: { scope_id: string; period_code: string; keys: Record<string, unknown> | null }) => [
        `${s.scope_id}/${s.period_code}`,
        s.keys,
      ]),
    );
    const facts = await keyedFacts();
    const keyScopes: [string, KeyedFact[]][] = [
      [interventionIds[0], facts.filter((f) => f.interventionId === interventionIds[0])],
      [interventionIds[1], facts.filter((f) => f.interventionId === interventionIds[1])],
      [associationId, facts],
    ];
    for (const [scopeId, scopeFacts] of keyScopes) {
      for (const [code, start, end] of PERIODS) {
        const keys = keysOf.get(`${scopeId}/${code}`);
        expect({ scope: scopeId, code, keys: keys ? expandKeys(keys) : 'missing' }).toEqual({
          scope: scopeId,
          code,
          keys: computePeriodKeys(scopeFacts, { start, end }),
        });
      }
    }
    const byKey = new Map<string, Record<string, unknown>>(
      stored.map((s: { scope_id: string; period_code: string; counts: Record<string, unknown> }) => [
        `${s.scope_id}/${s.period_code}`,
        s.counts,
      ]),
    );
    const scopes: [string, Row[]][] = [
      [interventionIds[0], rows.filter((r) => r.intervention === 0)],
      [interventionIds[1], rows.filter((r) => r.intervention === 1)],
      [associationId, rows],
    ];
    for (const [scopeId, scopeRows] of scopes) {
      for (const [code, start, end] of PERIODS) {
        const counts = byKey.get(`${scopeId}/${code}`);
        expect({ scope: scopeId, code, counts: counts ? storedAsNaive(counts) : 'missing' }).toEqual({
          scope: scopeId,
          code,
          counts: naive(scopeRows, start, end),
        });
      }
    }
  }

  it('coalesced recompute of every dirty mark of the association', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { maxLength: 40 }), async (generated) => {
        const rows = respectOpenUniqueness(generated);
        await load(rows);
        for (const id of interventionIds) {
          await db.query(
            `INSERT INTO aggregation_dirty (intervention_id, year) SELECT $1, generate_series(2019, 2022)
             ON CONFLICT (intervention_id, year) DO UPDATE SET version = nextval('aggregation_dirty_version_seq')`,
            [id],
          );
        }
        await recompute.recomputeAssociation(associationId);
        const [{ n }] = await db.query(
          `SELECT count(*)::int AS n FROM aggregation_dirty WHERE intervention_id = ANY($1)`,
          [interventionIds],
        );
        expect(n).toBe(0);
        await expectStoredEqualsNaive(rows);
      }),
      { numRuns: 25 },
    );
  });

  it('incremental recompute after changes to one intervention equals the oracle and a clean rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 30 }),
        fc.array(rowArb, { maxLength: 15 }),
        async (before, changes) => {
          // A settled state, then intervention 0's rows replaced; only the years they touch are marked.
          const initial = respectOpenUniqueness(before);
          await load(initial);
          await recompute.rebuildAssociation(associationId);
          const replaced = changes.map((r) => ({ ...r, intervention: 0 }));
          const final = respectOpenUniqueness([...initial.filter((r) => r.intervention === 1), ...replaced]);
          const years = new Set<number>();
          for (const r of [
            ...initial.filter((r) => r.intervention === 0),
            ...final.filter((r) => r.intervention === 0),
          ])
            for (const y of yearsTouched(r.startedOn, r.exitedOn, todayInStockholm())) years.add(y);
          await db.query(`DELETE FROM enrolment WHERE intervention_id = $1`, [interventionIds[0]]);
          await insertRows(final.filter((r) => r.intervention === 0));
          await db.query(
            `INSERT INTO aggregation_dirty (intervention_id, year) SELECT $1, unnest($2::int[])
             ON CONFLICT (intervention_id, year) DO UPDATE SET version = nextval('aggregation_dirty_version_seq')`,
            [interventionIds[0], [...years]],
          );
          await recompute.recomputeAssociation(associationId);
          await expectStoredEqualsNaive(final);
          const incremental = await snapshot();
          await recompute.rebuildAssociation(associationId);
          expect(incremental).toEqual(await snapshot());
        },
      ),
      { numRuns: 25 },
    );
  });

  it('full rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { maxLength: 40 }), async (generated) => {
        const rows = respectOpenUniqueness(generated);
        await load(rows);
        await recompute.rebuildAssociation(associationId);
        await expectStoredEqualsNaive(rows);
      }),
      { numRuns: 25 },
    );
  });

  it('a job with nothing dirty exits early and writes nothing', async () => {
    await db.query(`DELETE FROM period_result WHERE scope_id = $1`, [interventionIds[0]]);
    const result = await recompute.recomputeAssociation(associationId);
    expect(result.rounds).toBe(0);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM period_result WHERE scope_id = $1`, [
      interventionIds[0],
    ]);
    expect(n).toBe(0);
  });
});
