import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AggregationRepository } from '../libs/aggregation/src/aggregation.repository';
import { PurgedFiguresRepository } from '../libs/aggregation/src/purged-figures.repository';
import { RecomputeService } from '../libs/aggregation/src/recompute.service';
import { dataSourceOptions } from '../libs/database/src/data-source.options';
import { periodsOfYear } from '../libs/domain/src/periods';
import { SetFiguresService } from '../libs/reporting/src/set-figures.service';
import { insertPropertyScope, respectOpenUniqueness } from './helpers/property-scope';

/**
 * A chosen set's year periods are summed from its insatser's stored results when all are up to date. For
 * random rows in three insatser (people in several of them, one insats starting a year later), every set of
 * them and every period of two years gives the same counts and cell keys that counting the set's rows gives;
 * with a dirty mark left, the set is counted from its rows again.
 */

const STARTS = ['2019-12-01', '2019-12-01', '2021-03-01'];
const PERIODS = [...periodsOfYear(2020), ...periodsOfYear(2021)];
const SETS = [[0], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];

interface Row {
  intervention: number;
  participant: number;
  startedOn: string;
  exitedOn: string | null;
  gender: string;
  removed: boolean;
}

const addDays = (iso: string, n: number) =>
  new Date(Date.parse(`${iso}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const rowArb: fc.Arbitrary<Row> = fc
  .record({
    intervention: fc.integer({ min: 0, max: 2 }),
    participant: fc.integer({ min: 0, max: 7 }),
    offset: fc.integer({ min: 0, max: 760 }),
    duration: fc.oneof(fc.constant(null), fc.constant(0), fc.integer({ min: 1, max: 500 })),
    gender: fc.constantFrom('woman', 'man', 'unspecified'),
    removed: fc.boolean().map((b) => b && Math.random() < 0.2),
  })
  .map(({ offset, duration, ...r }) => {
    const startedOn = addDays(STARTS[r.intervention], offset);
    const exitedOn = duration === null ? null : addDays(startedOn, duration);
    return { ...r, startedOn, exitedOn: exitedOn !== null && exitedOn <= '2022-06-30' ? exitedOn : null };
  });

describe('a chosen set summed from stored results equals the set counted from its rows (property-based)', () => {
  let db: DataSource;
  let recompute: RecomputeService;
  let sets: SetFiguresService;
  const associationId = randomUUID();
  const interventionIds = STARTS.map(() => randomUUID());
  const participantIds = Array.from({ length: 8 }, () => randomUUID());

  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
    const aggregation = new AggregationRepository();
    const purged = new PurgedFiguresRepository();
    recompute = new RecomputeService(db, aggregation, purged);
    sets = new SetFiguresService(aggregation, purged);
    await insertPropertyScope(db, {
      associationId,
      name: 'Set property test',
      interventions: interventionIds.map((id, i) => ({ id, startsOn: STARTS[i] })),
      participantIds,
    });
  });
  afterAll(() => db.destroy());

  async function load(rows: Row[]): Promise<void> {
    await db.query(`DELETE FROM enrolment WHERE intervention_id = ANY($1)`, [interventionIds]);
    await db.query(`DELETE FROM aggregation_dirty WHERE intervention_id = ANY($1)`, [interventionIds]);
    for (const r of rows)
      await db.query(
        `INSERT INTO enrolment (intervention_id, participant_id, started_on, referring_party, gender, age_band,
           municipality_code, exited_on, exit_reason, removed_at)
         VALUES ($1, $2, $3, 'school', $4, '19-20', '0180', $5, $6, $7)`,
        [
          interventionIds[r.intervention],
          participantIds[r.participant],
          r.startedOn,
          r.gender,
          r.exitedOn,
          r.exitedOn === null ? null : 'work',
          r.removed ? new Date() : null,
        ],
      );
    await recompute.rebuildAssociation(associationId);
  }

  it('for every set and period, with and without a dirty mark', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { maxLength: 40 }), async (generated) => {
        await load(respectOpenUniqueness(generated));
        // A run that fails leaves no spy behind for the next (shrinking reruns the property).
        const fromRows = jest.spyOn(sets, 'fromRows');
        try {
          for (const set of SETS) {
            const ids = set.map((i) => interventionIds[i]);
            const summed = await sets.figures(db.manager, associationId, ids, PERIODS);
            expect(fromRows).not.toHaveBeenCalled();
            expect(summed).toEqual(await sets.fromRows(db.manager, associationId, ids, PERIODS));
            fromRows.mockClear();
          }
          // A write not yet recomputed (its mark from 2021-07-01): the periods of 2021 that end on or after that
          // date are counted from the rows, the rest still summed.
          await db.query(
            `INSERT INTO aggregation_dirty (intervention_id, year, from_date) VALUES ($1, 2021, '2021-07-01')`,
            [interventionIds[0]],
          );
          const ids = interventionIds.slice(0, 2);
          const figures = await sets.figures(db.manager, associationId, ids, PERIODS);
          const counted = PERIODS.filter((p) => p.year === 2021 && p.end >= '2021-07-01');
          expect(fromRows).toHaveBeenCalledTimes(1);
          expect(fromRows.mock.calls[0][3]).toEqual(counted);
          expect(figures).toEqual(await sets.fromRows(db.manager, associationId, ids, PERIODS));
        } finally {
          fromRows.mockRestore();
        }
      }),
      { numRuns: 20 },
    );
  }, 240_000);
});
