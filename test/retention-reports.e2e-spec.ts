import type { INestApplicationContext } from '@nestjs/common';
import { RecomputeService } from '@app/aggregation/recompute.service';
import { RetentionService } from '@app/data-quality/retention.service';
import { periodsOfYear, todayInStockholm } from '@app/domain';
import { bearer, Fixtures, unique, validEnrolment } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

jest.setTimeout(600_000);

/**
 * Retention and every report that is not one stored result: "since start" (recomputed from the rows left) and
 * chosen sets of insatser (counted from rows). After a purge, a full rebuild and a recompute, every report
 * number of the purged periods reads as before, exact and masked, for evaluators and the board; since start
 * counts the purged rows too, and a new enrolment on top of them.
 */
describe('retention: reports of purged periods, since start and chosen sets', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let f: Fixtures;
  let associationId: string;
  let evaluator: string;
  let board: string;
  const ins: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };
  // Persons in two and three insatser, one insats twice, exits long ago (purged: before today − 24 months)
  // and recent, open enrolments.
  const ROWS: [
    person: string,
    insats: 'A' | 'B' | 'C',
    start: string,
    exit: string | null,
    extra?: object,
  ][] = [
    ['P1', 'A', '2019-03-01', '2020-06-30'],
    ['P1', 'B', '2019-09-01', '2021-02-15', { exitReason: 'studies' }],
    ['P2', 'A', '2020-01-15', '2021-05-31', { gender: 'man', exitReason: 'moved', referringParty: 'school' }],
    ['P2', 'B', '2020-03-01', '2020-12-31', { gender: 'man', incomeSupportAtExit: ['social_assistance'] }],
    ['P2', 'C', '2020-06-01', null, { gender: 'man' }],
    ['P3', 'B', '2021-03-01', '2022-08-31', { gender: 'unspecified', ageBand: '21-24' }],
    ['P3', 'C', '2021-04-01', '2025-03-31', { gender: 'unspecified', exitReason: 'studies' }],
    ['P4', 'A', '2019-05-01', '2019-11-30', { exitReason: 'withdrew' }],
    ['P4', 'A', '2022-01-10', null],
    ['P5', 'C', '2019-02-01', '2020-10-15', { gender: 'man', municipality: '0180' }],
    ['P6', 'A', '2021-06-01', null],
    ['P6', 'B', '2021-07-01', '2023-12-31', { exitReason: 'studies' }],
    ['P6', 'C', '2022-02-01', '2024-12-31'],
    ['P7', 'A', '2024-03-01', '2025-12-31', { gender: 'man' }],
    ['P8', 'A', '2019-04-01', '2021-09-30', { educationLevel: 'upper_secondary' }],
    ['P8', 'B', '2019-04-01', '2021-09-30'],
    ['P8', 'C', '2019-04-01', '2022-01-31', { exitReason: 'studies', incomeSupportAtExit: ['salary'] }],
    ['P9', 'B', '2020-05-01', '2020-05-20', { gender: 'man' }],
    ['P9', 'B', '2020-08-01', '2022-03-31', { gender: 'man', municipality: '0180' }],
    ['P10', 'C', '2023-02-01', '2024-06-30'],
    ['P10', 'A', '2023-03-01', null],
    ['P11', 'C', '2020-02-01', '2023-10-31', { gender: 'man' }],
    ['P11', 'B', '2022-05-01', '2023-01-31', { gender: 'man' }],
  ];
  const codes: Record<string, string> = {};
  const PERIODS = [
    'since-start',
    ...[2019, 2020, 2021, 2022, 2023, 2024].flatMap((y) => periodsOfYear(y).map((p) => p.code)),
    '2025', // its year before is purged
  ];
  const SETS: ('A' | 'B' | 'C')[][] = [
    ['A', 'B'],
    ['B', 'C'],
    ['A', 'B', 'C'],
  ];

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
    // k = 2: most of these small counts are perturbed (not just "<k"), so the cell keys matter.
    associationId = (await f.association({ disclosureThreshold: 2 })).id;
    for (const name of ['A', 'B', 'C'] as const)
      ins[name] = (
        await f.intervention(associationId, { startsOn: '2019-01-01', municipalities: ['0136', '0180'] })
      ).id;
    evaluator = (await f.user('evaluator', { associationIds: [associationId] })).token;
    board = (await f.user('board', { associationIds: [associationId] })).token;
    await t
      .http()
      .put(`/api/v1/associations/${associationId}/retention`)
      .set(bearer(f.adminToken))
      .send({ retentionMonths: 24 })
      .expect(200);
    for (const [person, insats, startedOn, exitedOn, extra = {}] of ROWS) {
      codes[person] ??= unique(person);
      const { exitReason = 'work', incomeSupportAtExit, ...fields } = extra as Record<string, unknown>;
      const e = await f.enrol(
        f.adminToken,
        ins[insats],
        validEnrolment({ participantCode: codes[person], startedOn, ...fields }),
      );
      if (exitedOn)
        await t
          .http()
          .post(`/api/v1/enrolments/${e.id}/exit`)
          .set(bearer(f.adminToken))
          .send({ exitedOn, exitReason, ...(incomeSupportAtExit ? { incomeSupportAtExit } : {}) })
          .expect(200);
    }
    await fresh();
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const fresh = () =>
    eventually(
      () =>
        t.db.query(`SELECT count(*)::int AS n FROM aggregation_dirty WHERE intervention_id = ANY($1)`, [
          Object.values(ins),
        ]),
      (rows) => rows[0].n === 0,
      60_000,
    );

  /** The body without the time its results were computed or its file made (a recompute changes those). */
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (x === null || typeof x !== 'object') return x;
    return Object.fromEntries(
      Object.entries(x)
        .filter(([k]) => k !== 'asOf' && k !== 'generatedAt')
        .map(([k, v]) => [k, strip(v)]),
    );
  };

  /**
   * Every report of the purged periods, read from `app`: each insats and the association (exact for the
   * evaluator, masked for the board), chosen sets of 2 and 3 insatser (exact; masked for the board; masked
   * for the evaluator as the publication export), and the region of the association (exact).
   */
  const reports = async (app: TestApp): Promise<Map<string, unknown>> => {
    const reads: [string, string, string][] = [];
    for (const period of PERIODS) {
      for (const [name, id] of Object.entries(ins)) {
        reads.push([`exact ${name} ${period}`, `interventions/${id}?period=${period}`, evaluator]);
        reads.push([`board ${name} ${period}`, `interventions/${id}?period=${period}`, board]);
      }
      reads.push([
        `exact association ${period}`,
        `associations/${associationId}?period=${period}`,
        evaluator,
      ]);
      reads.push([`board association ${period}`, `associations/${associationId}?period=${period}`, board]);
      for (const set of SETS) {
        const query = `period=${period}&interventions=${set.map((s) => ins[s]).join(',')}`;
        const name = `set ${set.join('')} ${period}`;
        reads.push([`exact ${name}`, `associations/${associationId}?${query}`, evaluator]);
        reads.push([`board ${name}`, `associations/${associationId}?${query}`, board]);
        reads.push([
          `publication ${name}`,
          `associations/${associationId}/export?${query}&format=json&publication=true`,
          evaluator,
        ]);
      }
      reads.push([
        `exact region ${period}`,
        `regional?associations=${associationId}&period=${period}`,
        evaluator,
      ]);
    }
    const out = new Map<string, unknown>();
    for (let i = 0; i < reads.length; i += 8)
      await Promise.all(
        reads.slice(i, i + 8).map(async ([key, path, token]) => {
          const res = await app.http().get(`/api/v1/reports/${path}`).set(bearer(token));
          expect([key, res.status]).toEqual([key, 200]);
          const body = path.includes('/export') ? JSON.parse(res.text) : res.body;
          if (key.startsWith('board') || key.startsWith('publication'))
            expect(JSON.stringify(body)).toMatch(/"threshold":2|"disclosureThreshold":2/);
          out.set(key, strip(body));
        }),
      );
    return out;
  };

  /** The reports read through a new API process: masked bodies are cached per process and version. */
  const reportsAfresh = async () => {
    const app = await createTestApp();
    try {
      return await reports(app);
    } finally {
      await app.close();
    }
  };

  const expectSame = (
    actual: Map<string, unknown>,
    expected: Map<string, unknown>,
    except = new Set<string>(),
  ) => {
    for (const [key, body] of expected)
      if (!except.has(key)) expect([key, actual.get(key)]).toEqual([key, body]);
  };

  const storedSinceStart = async () =>
    t.db.query(
      `SELECT scope_type, scope_id, counts, keys FROM period_result
        WHERE period_code = 'since-start' AND scope_id = ANY($1) ORDER BY scope_type, scope_id`,
      [[associationId, ...Object.values(ins)]],
    );

  it('reads every report of the purged periods as before the purge, after a rebuild, and after a recompute', async () => {
    const before = await reports(t);
    // The fixture is what the test needs: sets count persons once (P8 is in all three insatser).
    const exactSet = before.get('exact set ABC 2020') as {
      persons: { active: number };
      active: { total: number };
    };
    expect(exactSet.active.total).toBeGreaterThan(exactSet.persons.active);
    const participantIds: string[] = (
      await t.db.query(`SELECT id FROM participant WHERE association_id = $1`, [associationId])
    ).map((r: { id: string }) => r.id);

    const [{ cutoff }] = await t.db.query(
      `SELECT ($1::date - make_interval(months => 24))::date::text AS cutoff`,
      [todayInStockholm()],
    );
    const expired = ROWS.filter(([, , , exit]) => exit !== null && exit < cutoff).length;
    expect(expired).toBeGreaterThanOrEqual(16);
    const [result] = await worker.get(RetentionService).purgeExpired(undefined, [associationId]);
    expect(result).toMatchObject({ deferred: false, enrolments: expired });
    const left = await t.db.query(
      `SELECT count(*)::int AS n FROM enrolment WHERE intervention_id = ANY($1)`,
      [Object.values(ins)],
    );
    expect(left[0].n).toBe(ROWS.length - expired);
    // What is kept of the purged rows is aggregates: no participant id (nor code) in it.
    const kept = JSON.stringify([
      await t.db.query(`SELECT * FROM purged_since_start WHERE scope_id = ANY($1)`, [
        [associationId, ...Object.values(ins)],
      ]),
      await t.db.query(`SELECT * FROM purged_person_overlap WHERE association_id = $1`, [associationId]),
      await t.db.query(`SELECT * FROM purged_exit_days WHERE intervention_id = ANY($1)`, [
        Object.values(ins),
      ]),
    ]);
    expect(kept.length).toBeGreaterThan(1000);
    for (const id of participantIds) expect(kept).not.toContain(id);
    for (const code of Object.values(codes)) expect(kept).not.toContain(code);

    // The purge has since start recomputed (from the rows left plus what it kept).
    await fresh();
    expectSame(await reportsAfresh(), before);

    // The full rebuild's work for this association (set-based SQL).
    await worker.get(RecomputeService).rebuildAssociation(associationId);
    expectSame(await reportsAfresh(), before);

    // A new enrolment in a year nobody purged: the incremental recompute.
    await f.enrol(f.adminToken, ins.A, validEnrolment({ startedOn: '2026-01-15' }));
    await fresh();
    const incremental = await storedSinceStart();
    const after = await reportsAfresh();
    // Since start of every scope with insats A: what it read before the purge, plus the newcomer exactly.
    const withA = [
      'A since-start',
      'association since-start',
      'set AB since-start',
      'set ABC since-start',
      'region since-start',
    ];
    for (const scope of withA)
      expect([scope, after.get(`exact ${scope}`)]).toEqual([
        scope,
        plusNewcomer(before.get(`exact ${scope}`)),
      ]);
    const changed = new Set(withA.flatMap((s) => [`exact ${s}`, `board ${s}`, `publication ${s}`]));
    expectSame(after, before, changed);

    // The rebuild (SQL) writes what the incremental path (TypeScript) wrote, the purged base included.
    await worker.get(RecomputeService).rebuildAssociation(associationId);
    expect(await storedSinceStart()).toEqual(incremental);
    expectSame(await reportsAfresh(), after);
  });
});

/** An exact body plus one open enrolment of a new person started in the period (validEnrolment's fields). */
function plusNewcomer(body: unknown): unknown {
  const b = structuredClone(body) as Record<string, any>;
  const one = (cell: Record<string, number>) => {
    cell.woman += 1;
    cell.total += 1;
  };
  const add = (x: Record<string, any>) => {
    one(x.active);
    one(x.new);
    one(x.newByReferringParty.social_services);
    one(x.newByAgeBand['19-20']);
    one(x.newByEducationLevel.compulsory);
    one((x.newByMunicipality['0136'] ??= { woman: 0, man: 0, unspecified: 0, total: 0 }));
    x.persons.active += 1;
    x.persons.new += 1;
  };
  add(b);
  for (const part of b.associations ?? []) add(part);
  return b;
}
