import fc from 'fast-check';
import { AggregationRepository } from '../libs/aggregation/src/aggregation.repository';
import { PurgedFiguresRepository } from '../libs/aggregation/src/purged-figures.repository';
import { RecomputeService } from '../libs/aggregation/src/recompute.service';
import { todayInStockholm } from '../libs/domain/src/calendar-date';
import { bearer, Fixtures, validEnrolment } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';

/**
 * Writes through the API mark each year dirty from the date their change begins (a registration from its start,
 * an exit from its exit date), and the recompute leaves the periods that end before it as stored. For random
 * registrations, exits, corrections, reopenings and withdrawals on a settled association, the incremental
 * recompute must store exactly what a clean rebuild stores.
 */

const TODAY = todayInStockholm();
const FIRST_DAY = '2022-01-01';
const DAY_MS = 86_400_000;
const span = Math.round((Date.parse(TODAY) - Date.parse(FIRST_DAY)) / DAY_MS);
const dayArb = fc.integer({ min: 0, max: span });
const dateOf = (day: number) => new Date(Date.parse(FIRST_DAY) + day * DAY_MS).toISOString().slice(0, 10);
/** A date in [from, TODAY], `share` of the way. */
const between = (from: string, share: number) =>
  dateOf(
    Math.round(
      (Date.parse(from) - Date.parse(FIRST_DAY)) / DAY_MS +
        share * ((Date.parse(TODAY) - Date.parse(from)) / DAY_MS),
    ),
  );

type Op =
  | { kind: 'register'; insats: number; person: number; day: number; gender: 'woman' | 'man' }
  | { kind: 'exit' | 'reopen' | 'withdraw' | 'regender'; pick: number; share: number }
  | { kind: 'restart'; pick: number; day: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('register' as const),
    insats: fc.integer({ min: 0, max: 1 }),
    person: fc.integer({ min: 0, max: 5 }),
    day: dayArb,
    gender: fc.constantFrom('woman' as const, 'man' as const),
  }),
  fc.record({
    kind: fc.constantFrom('exit' as const, 'reopen' as const, 'withdraw' as const, 'regender' as const),
    pick: fc.nat(),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({ kind: fc.constant('restart' as const), pick: fc.nat(), day: dayArb }),
);

describe('recompute from the date a change begins (property-based, through the API)', () => {
  let t: TestApp;
  let f: Fixtures;
  let recompute: RecomputeService;

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
    recompute = new RecomputeService(t.db, new AggregationRepository(), new PurgedFiguresRepository());
  });
  afterAll(() => t.close());

  const as = <T extends { set: (headers: Record<string, string>) => T }>(request: T) =>
    request.set(bearer(f.adminToken));
  const api = () => t.http();

  /** Every stored result of the association and its insatser, without the time it was computed. */
  const snapshot = (associationId: string, interventionIds: string[]) =>
    t.db.query(
      `SELECT scope_type, scope_id, period_code, year, period_start::text, period_end::text, counts, keys
         FROM period_result WHERE scope_id = ANY($1) OR scope_id = $2 ORDER BY scope_type, scope_id, period_code`,
      [interventionIds, associationId],
    );

  it('stores every period of a year on its first computation, whatever date the write is from', async () => {
    const associationId = (await f.association()).id;
    const insats = (await f.intervention(associationId, { startsOn: FIRST_DAY })).id;
    await as(api().post(`/api/v1/interventions/${insats}/enrolments`))
      .send(validEnrolment({ startedOn: TODAY }))
      .expect(201);
    const [{ from }] = await t.db.query(
      `SELECT from_date::text AS from FROM aggregation_dirty WHERE intervention_id = $1`,
      [insats],
    );
    expect(from).toBe(TODAY);
    await recompute.recomputeAssociation(associationId);
    const stored = await t.db.query(
      `SELECT scope_type, count(*)::int AS n FROM period_result
        WHERE (scope_id = $1 OR scope_id = $2) AND year = $3 GROUP BY scope_type ORDER BY scope_type`,
      [associationId, insats, Number(TODAY.slice(0, 4))],
    );
    expect(stored).toEqual([
      { scope_type: 'association', n: 10 },
      { scope_type: 'intervention', n: 10 },
    ]);
  });

  it('stores after random writes exactly what a clean rebuild stores', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 8 }),
        fc.array(opArb, { minLength: 1, maxLength: 8 }),
        async (initial, changes) => {
          const associationId = (await f.association()).id;
          const insatser = [
            (await f.intervention(associationId, { startsOn: FIRST_DAY })).id,
            (await f.intervention(associationId, { startsOn: FIRST_DAY })).id,
          ];
          const codes = Array.from({ length: 6 }, (_, i) => `FD-${associationId.slice(0, 8)}-${i}`);
          const mine: { id: string; startedOn: string; exitedOn: string | null }[] = [];

          const apply = async (op: Op) => {
            if (op.kind === 'register') {
              const startedOn = dateOf(op.day);
              const res = await as(
                api().post(`/api/v1/interventions/${insatser[op.insats]}/enrolments`),
              ).send(validEnrolment({ participantCode: codes[op.person], startedOn, gender: op.gender }));
              if (res.status === 201) mine.push({ id: res.body.id, startedOn, exitedOn: null });
              else expect(res.status).toBe(409); // the person's open enrolment in that insats
              return;
            }
            if (mine.length === 0) return;
            const e = mine[op.pick % mine.length];
            if (op.kind === 'exit' && e.exitedOn === null) {
              const exitedOn = between(e.startedOn, op.share);
              await as(api().post(`/api/v1/enrolments/${e.id}/exit`))
                .send({ exitedOn, exitReason: 'work' })
                .expect(200);
              e.exitedOn = exitedOn;
            } else if (op.kind === 'reopen' && e.exitedOn !== null) {
              const res = await as(api().patch(`/api/v1/enrolments/${e.id}`)).send({
                exitedOn: null,
                exitReason: null,
              });
              if (res.status === 200) e.exitedOn = null;
              else expect(res.status).toBe(409);
            } else if (op.kind === 'withdraw') {
              await as(api().delete(`/api/v1/enrolments/${e.id}`)).expect(204);
              mine.splice(mine.indexOf(e), 1);
            } else if (op.kind === 'regender') {
              await as(api().patch(`/api/v1/enrolments/${e.id}`))
                .send({ gender: op.share < 0.5 ? 'man' : 'unspecified' })
                .expect(200);
            } else if (op.kind === 'restart') {
              const startedOn = dateOf(op.day);
              const res = await as(api().patch(`/api/v1/enrolments/${e.id}`)).send({ startedOn });
              if (res.status === 200) e.startedOn = startedOn;
              else expect(res.status).toBe(400); // a start after its exit
            }
          };

          // A settled association: every result stored by a rebuild, no mark left.
          for (const op of initial) await apply(op);
          await recompute.rebuildAssociation(associationId);

          for (const op of changes) await apply(op);
          const [{ dated, all }] = await t.db.query(
            `SELECT count(*) FILTER (WHERE from_date IS NOT NULL)::int AS dated, count(*)::int AS all
               FROM aggregation_dirty WHERE intervention_id = ANY($1)`,
            [insatser],
          );
          // Every write through the API says from when; the recompute below uses it (the years are all stored).
          expect(dated).toBe(all);
          await recompute.recomputeAssociation(associationId);
          const incremental = await snapshot(associationId, insatser);
          await recompute.rebuildAssociation(associationId);
          expect(incremental).toEqual(await snapshot(associationId, insatser));
        },
      ),
      { numRuns: Number(process.env.FROM_DATE_RUNS ?? 25) },
    );
    // About 0.3 s a run alone; CI runs it beside the browser tests on two cores, where it once took over 60 s.
  }, 240_000);
});
