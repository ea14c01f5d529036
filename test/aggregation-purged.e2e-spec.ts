import type { INestApplicationContext } from '@nestjs/common';
import { RecomputeService } from '@app/aggregation/recompute.service';
import { Fixtures, validEnrolment } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

/** The aggregation's one retention guard: a purged (insats, year) is never recomputed from the rows left. */
describe('aggregation of purged periods', () => {
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

  it('leaves the results of a purged (insats, year) and its association as stored, in recomputes and rebuilds', async () => {
    const f = await Fixtures.create(t);
    const associationId = (await f.association()).id;
    const a = (await f.intervention(associationId, { startsOn: '2023-01-01' })).id;
    await f.enrol(f.adminToken, a, validEnrolment({ startedOn: '2024-03-01' }));
    await f.enrol(f.adminToken, a, validEnrolment({ startedOn: '2025-03-01' }));
    const settled = () =>
      eventually(
        () => t.db.query(`SELECT count(*)::int AS n FROM aggregation_dirty WHERE intervention_id = $1`, [a]),
        (rows) => rows[0].n === 0,
      );
    const active = async (scopeId: string, period: string) =>
      (
        await t.db.query(
          `SELECT (counts->'active'->>'total')::int AS n FROM period_result WHERE scope_id = $1 AND period_code = $2`,
          [scopeId, period],
        )
      )[0]?.n;
    await settled();
    expect(await active(a, '2024')).toBe(1);
    expect(await active(associationId, '2024-Q1')).toBe(1);
    expect(await active(a, '2025')).toBe(2);

    // 2024 is purged: its rows go, its results stay. (What the retention job does, reduced to the guard.)
    await t.db.query(`INSERT INTO purged_period (intervention_id, year) VALUES ($1, 2024)`, [a]);
    await t.db.query(`DELETE FROM enrolment WHERE intervention_id = $1 AND started_on = '2024-03-01'`, [a]);
    await t.db.query(`INSERT INTO aggregation_dirty (intervention_id, year) VALUES ($1, 2024), ($1, 2025)`, [
      a,
    ]);
    await settled();
    expect(await active(a, '2024')).toBe(1);
    expect(await active(a, '2024-Q1')).toBe(1);
    expect(await active(associationId, '2024')).toBe(1);
    // A year that was not purged is recomputed from the rows as always.
    expect(await active(a, '2025')).toBe(1);

    // The full rebuild's work for this association (rebuildAll runs it for each one); not rebuildAll itself, whose
    // run log other test files in this shared database watch.
    await worker.get(RecomputeService).rebuildAssociation(associationId);
    expect(await active(a, '2024')).toBe(1);
    expect(await active(associationId, '2024-Q1')).toBe(1);
    expect(await active(a, '2025')).toBe(1);
  });
});
