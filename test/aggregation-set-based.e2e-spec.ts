import type { INestApplicationContext } from '@nestjs/common';
import { SET_BASED_MIN_MARKS } from '@app/aggregation/recompute.service';
import { Fixtures, validEnrolment } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

/**
 * A big change (an import marks many (insats, year) pairs) is recomputed by the rebuild's set-based SQL:
 * the same numbers as the incremental path, purged periods kept, and logged as a recompute.
 */
describe('set-based recompute of a big change', () => {
  let t: TestApp;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('gives the incremental numbers, keeps a purged year and clears the marks it read', async () => {
    const f = await Fixtures.create(t);
    const associationId = (await f.association()).id;
    const a = (await f.intervention(associationId, { startsOn: '2000-01-01' })).id;
    const b = (await f.intervention(associationId, { startsOn: '2000-01-01' })).id;
    for (const [i, startedOn, exitedOn] of [
      [a, '2001-02-01', '2003-05-01'],
      [a, '2003-03-01', null],
      [a, '2010-06-01', '2012-01-15'],
      [b, '2002-04-01', '2002-09-30'],
      [b, '2011-11-01', null],
    ] as const) {
      const { id } = await f.enrol(f.adminToken, i, validEnrolment({ startedOn }));
      // The exit straight in the table: the marks below are what this test controls.
      if (exitedOn)
        await t.db.query(
          `UPDATE enrolment SET exited_on = $2, exit_reason = 'work', income_support_at_exit = '{salary}' WHERE id = $1`,
          [id, exitedOn],
        );
    }
    const marks = () =>
      t.db.query(`SELECT count(*)::int AS n FROM aggregation_dirty WHERE intervention_id = ANY($1)`, [
        [a, b],
      ]);
    const settled = () => eventually(marks, (rows) => rows[0].n === 0);
    const results = async () =>
      new Map(
        (
          await t.db.query(
            `SELECT scope_id || '/' || period_code AS k, counts FROM period_result
              WHERE scope_id = ANY($1) AND year BETWEEN 2000 AND 2012`,
            [[a, b, associationId]],
          )
        ).map((r: { k: string; counts: unknown }) => [r.k, r.counts]),
      );
    await settled();

    // Small marks: the incremental (TypeScript) path, a few years at a time.
    for (let y = 2000; y <= 2012; y += 4) {
      await t.db.query(
        `INSERT INTO aggregation_dirty (intervention_id, year)
         SELECT i, y FROM unnest($1::uuid[]) i, generate_series($2::int, $2::int + 3) y WHERE y <= 2012
         ON CONFLICT DO NOTHING`,
        [[a, b], y],
      );
      await settled();
    }
    const incremental = await results();
    expect(incremental.size).toBeGreaterThan(100);

    // One big change: every year of both insatser at once, past the threshold.
    const runsBefore = (
      await t.db.query(
        `SELECT count(*)::int AS n FROM aggregation_run WHERE kind = 'recompute' AND scope_id = $1 AND year IS NULL`,
        [associationId],
      )
    )[0].n;
    const big = await t.db.query(
      `INSERT INTO aggregation_dirty (intervention_id, year)
       SELECT i, y FROM unnest($1::uuid[]) i, generate_series(2000, 2025) y RETURNING 1`,
      [[a, b]],
    );
    expect(big.length).toBeGreaterThanOrEqual(SET_BASED_MIN_MARKS);
    await settled();
    expect(await results()).toEqual(incremental);
    const runsAfter = (
      await t.db.query(
        `SELECT count(*)::int AS n FROM aggregation_run WHERE kind = 'recompute' AND scope_id = $1 AND year IS NULL`,
        [associationId],
      )
    )[0].n;
    expect(runsAfter).toBeGreaterThan(runsBefore);

    // 2002 purged: its rows go, its numbers stay through another big change.
    const active = async (scopeId: string, period: string) =>
      (
        await t.db.query(
          `SELECT (counts->'active'->>'total')::int AS n FROM period_result WHERE scope_id = $1 AND period_code = $2`,
          [scopeId, period],
        )
      )[0]?.n;
    expect(await active(b, '2002')).toBe(1);
    expect(await active(associationId, '2002')).toBe(2);
    await t.db.query(`INSERT INTO purged_period (intervention_id, year) VALUES ($1, 2002)`, [b]);
    await t.db.query(`DELETE FROM enrolment WHERE intervention_id = $1 AND started_on = '2002-04-01'`, [b]);
    await t.db.query(
      `INSERT INTO aggregation_dirty (intervention_id, year)
       SELECT i, y FROM unnest($1::uuid[]) i, generate_series(2000, 2025) y`,
      [[a, b]],
    );
    await settled();
    expect(await active(b, '2002')).toBe(1);
    expect(await active(associationId, '2002')).toBe(2);
    expect(await results()).toEqual(incremental);
  });
});
