import type { INestApplicationContext } from '@nestjs/common';
import { RecomputeService } from '@app/aggregation/recompute.service';
import { RetentionService } from '@app/data-quality/retention.service';
import { bearer, Fixtures, unique, validEnrolment } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

/**
 * Retention: participant rows go a number of months after exit; the reports of the periods they counted in
 * keep their numbers, also after a full rebuild from the rows that are left.
 */
describe('retention', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let f: Fixtures;
  let associationId: string;
  let a: string;
  let evaluator: string;
  let board: string;
  const codes = { old1: unique('OLD'), old2: unique('OLD'), kept: unique('KEPT'), recent: unique('REC') };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
    associationId = (await f.association()).id;
    a = (await f.intervention(associationId, { startsOn: '2019-01-01' })).id;
    evaluator = (await f.user('evaluator', { associationIds: [associationId] })).token;
    board = (await f.user('board', { associationIds: [associationId] })).token;
    const enrol = async (
      key: string,
      code: string,
      startedOn: string,
      exitedOn?: string,
      gender = 'woman',
    ) => {
      const e = await f.enrol(f.adminToken, a, validEnrolment({ participantCode: code, startedOn, gender }));
      ids[key] = e.id;
      if (exitedOn) {
        await t
          .http()
          .post(`/api/v1/enrolments/${e.id}/exit`)
          .set(bearer(f.adminToken))
          .send({ exitedOn, exitReason: 'work' })
          .expect(200);
      }
    };
    await enrol('old1', codes.old1, '2019-03-01', '2020-06-30');
    await enrol('old2', codes.old2, '2020-02-01', '2021-01-31', 'man');
    // The same person as old1 again, still open: the participant stays.
    await enrol('again', codes.old1, '2023-01-01');
    await enrol('kept', codes.kept, '2021-03-01');
    await enrol('recent', codes.recent, '2024-03-01', '2025-12-31');
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const results = async () =>
    Object.fromEntries(
      (
        await t.db.query(
          `SELECT scope_type || ':' || period_code AS k, counts FROM period_result
            WHERE scope_id = ANY($1) AND year BETWEEN 2019 AND 2021 ORDER BY 1`,
          [[a, associationId]],
        )
      ).map((r: { k: string; counts: unknown }) => [r.k, r.counts]),
    );
  const fresh = () =>
    eventually(
      () => t.db.query(`SELECT count(*)::int AS n FROM aggregation_dirty WHERE intervention_id = $1`, [a]),
      (rows) => rows[0].n === 0,
    );

  /**
   * The board's masked reports of the purged years (2021's previous year is 2020), as
   * the bytes sent, read from `app`. Masked bodies are cached per stored-result version in each process, so
   * reads after the purge also go through a new process: its masked bodies are computed afresh.
   */
  const boardReports = async (app: TestApp) => {
    const bodies: Record<string, string> = {};
    for (const path of [`interventions/${a}`, `associations/${associationId}`])
      for (const period of ['2019', '2020', '2020-H1', '2020-Q3', '2021-Q1', '2021']) {
        const res = await app.http().get(`/api/v1/reports/${path}?period=${period}`).set(bearer(board));
        expect([path, period, res.status]).toEqual([path, period, 200]);
        expect(res.body.disclosureControl).toEqual({ threshold: expect.any(Number) });
        bodies[`${path}?period=${period}`] = res.text;
      }
    return bodies;
  };

  it('sets the retention per association (admin), falling back to the installation default', async () => {
    const res = await t
      .http()
      .get(`/api/v1/associations/${associationId}/retention`)
      .set(bearer(evaluator))
      .expect(200);
    expect(res.body).toEqual({ retentionMonths: null, effectiveMonths: 36 });
    await t
      .http()
      .put(`/api/v1/associations/${associationId}/retention`)
      .set(bearer(evaluator))
      .send({ retentionMonths: 24 })
      .expect(403);
    await t
      .http()
      .put(`/api/v1/associations/${associationId}/retention`)
      .set(bearer(f.adminToken))
      .send({ retentionMonths: 0 })
      .expect(400);
    const put = await t
      .http()
      .put(`/api/v1/associations/${associationId}/retention`)
      .set(bearer(f.adminToken))
      .send({ retentionMonths: 24 })
      .expect(200);
    expect(put.body).toEqual({ retentionMonths: 24, effectiveMonths: 24 });
  });

  // Only this file's association: the database is shared with the other test files running meanwhile.
  it('waits while a result it would freeze is missing, and has it computed', async () => {
    await fresh();
    // Deterministic stand-in for "not stored yet": nothing marks it, so only the purge can notice.
    await t.db.query(`DELETE FROM period_result WHERE scope_id = $1 AND period_code = '2019'`, [a]);
    const retention = worker.get(RetentionService);
    const [result] = await retention.purgeExpired(undefined, [associationId]);
    expect(result).toMatchObject({ deferred: true, enrolments: 0 });
    expect(await t.db.query(`SELECT 1 FROM enrolment WHERE id = $1`, [ids.old1])).toHaveLength(1);
    await eventually(
      () => t.db.query(`SELECT 1 FROM period_result WHERE scope_id = $1 AND period_code = '2019'`, [a]),
      (rows) => rows.length === 1,
    );
  });

  it('deletes expired rows, logs counts, and every number of the purged periods stays, also after a rebuild', async () => {
    await fresh();
    const before = await results();
    expect(Object.keys(before)).toHaveLength(60); // 3 years × 10 periods × (insats, association)
    const report2020 = (
      await t.http().get(`/api/v1/reports/interventions/${a}?period=2020`).set(bearer(evaluator)).expect(200)
    ).body;
    expect(report2020.active).toMatchObject({ woman: 1, man: 1, total: 2 });
    const maskedBefore = await boardReports(t);

    const retention = worker.get(RetentionService);
    const [result] = await retention.purgeExpired(undefined, [associationId]);
    expect(result).toEqual({ associationId, enrolments: 2, participants: 1, deferred: false });
    // The purge marks the insats' latest purged year so that since start is computed again with its kept
    // base; reports are compared once that round (at most RECOMPUTE_SPACING_MS after the last) has run.
    await fresh();

    // The rows are gone; the person still enrolled stays; the others are untouched.
    const left = await t.db.query(`SELECT id FROM enrolment WHERE intervention_id = $1 ORDER BY started_on`, [
      a,
    ]);
    expect(left.map((r: { id: string }) => r.id)).toEqual([ids.kept, ids.again, ids.recent]);
    expect(await t.db.query(`SELECT 1 FROM participant WHERE code = $1`, [codes.old2])).toEqual([]);
    expect(await t.db.query(`SELECT 1 FROM participant WHERE code = $1`, [codes.old1])).toHaveLength(1);

    // The audit log says how many, never which.
    const [audit] = await t.db.query(
      `SELECT details FROM audit_log WHERE action = 'purge' AND entity_id = $1`,
      [associationId],
    );
    expect(audit.details).toMatchObject({ enrolments: 2, participants: 1, retentionMonths: 24 });
    const log = JSON.stringify(
      await t.db.query(`SELECT details FROM audit_log WHERE association_id = $1`, [associationId]),
    );
    expect(log).not.toContain(codes.old2);

    expect(await results()).toEqual(before);
    // The full rebuild's work for this association (rebuildAll runs it for each one); not rebuildAll itself, whose
    // run log other test files in this shared database watch.
    // The board's masked reports come from the stored results and their cell keys, not from the rows left.
    const second = await createTestApp();
    try {
      expect(await boardReports(second)).toEqual(maskedBefore);
      expect(await boardReports(t)).toEqual(maskedBefore);
      await worker.get(RecomputeService).rebuildAssociation(associationId);
      expect(await results()).toEqual(before);
      expect(await boardReports(second)).toEqual(maskedBefore);
    } finally {
      await second.close();
    }
    const third = await createTestApp();
    try {
      expect(await boardReports(third)).toEqual(maskedBefore);
    } finally {
      await third.close();
    }
    const after = (
      await t.http().get(`/api/v1/reports/interventions/${a}?period=2020`).set(bearer(evaluator)).expect(200)
    ).body;
    expect({ ...after, asOf: null }).toEqual({ ...report2020, asOf: null });

    // A later write to a purged year does not reopen it either.
    await t
      .http()
      .patch(`/api/v1/enrolments/${ids.kept}`)
      .set(bearer(f.adminToken))
      .send({ gender: 'man' })
      .expect(200);
    await fresh();
    expect(await results()).toEqual(before);
    // Years that were not purged are computed as before.
    const y2022 = (
      await t.http().get(`/api/v1/reports/interventions/${a}?period=2022`).set(bearer(evaluator)).expect(200)
    ).body;
    expect(y2022.active).toMatchObject({ woman: 0, man: 1, total: 1 });
  });
});
