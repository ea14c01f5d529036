import type { INestApplicationContext } from '@nestjs/common';
import { bearer, Fixtures, login, PASSWORD } from './helpers/fixtures';
import { useOwnDatabase } from './helpers/own-database';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

/**
 * Scope is checked on every read, not once: the aggregation status counts only what the caller may see,
 * and a stored export's file is served only while the requester's current scope still covers it.
 * A database and Redis prefix of this file alone, so no other file's worker clears the dirty marks.
 */
describe('scope on every read', () => {
  let t: TestApp;
  let f: Fixtures;
  let own: Awaited<ReturnType<typeof useOwnDatabase>>;
  const previousPrefix = process.env.REDIS_PREFIX;
  let assocA: string;
  let assocB: string;
  let interventionA: string;
  let interventionB: string;

  beforeAll(async () => {
    own = await useOwnDatabase();
    process.env.REDIS_PREFIX = `${previousPrefix}-scope-on-read`;
    t = await createTestApp();
    f = await Fixtures.create(t);
    assocA = (await f.association()).id;
    assocB = (await f.association()).id;
    interventionA = (await f.intervention(assocA)).id;
    interventionB = (await f.intervention(assocB)).id;
  });
  afterAll(async () => {
    await t.close();
    process.env.REDIS_PREFIX = previousPrefix;
    await own.drop();
  });

  describe('GET /aggregation/status', () => {
    const status = (token: string) =>
      t.http().get('/api/v1/aggregation/status').set(bearer(token)).expect(200);

    it("shows an evaluator only its associations' pending work and runs; an admin sees all", async () => {
      // No worker runs in this block: the marks and runs stay as written.
      await t.db.query(
        `INSERT INTO aggregation_dirty (intervention_id, year, marked_at) VALUES
           ($1, 2024, '2026-01-02T00:00:00Z'), ($2, 2023, '2026-01-01T00:00:00Z'), ($2, 2024, '2026-01-01T00:00:00Z')`,
        [interventionA, interventionB],
      );
      // A recompute run names its intervention (older runs) or its association (coalesced runs).
      await t.db.query(
        `INSERT INTO aggregation_run (kind, scope_id, year, started_at, finished_at, enrolments, results) VALUES
           ('recompute', $1, 2024, '2026-01-03T00:00:00Z', '2026-01-03T00:00:01Z', 1, 1),
           ('recompute', $2, 2024, '2026-01-04T00:00:00Z', '2026-01-04T00:00:01Z', 1, 1)`,
        [interventionA, assocB],
      );
      const evaluatorA = await f.user('evaluator', { associationIds: [assocA] });
      expect((await status(evaluatorA.token)).body).toEqual({
        pending: 1,
        oldestPendingSince: '2026-01-02T00:00:00.000Z',
        lastCompletedAt: '2026-01-03T00:00:01.000Z',
        lastRebuildAt: null,
        lastRebuildFailures: [],
        queue: null,
      });
      const evaluatorB = await f.user('evaluator', { associationIds: [assocB] });
      expect((await status(evaluatorB.token)).body).toMatchObject({
        pending: 2,
        oldestPendingSince: '2026-01-01T00:00:00.000Z',
        lastCompletedAt: '2026-01-04T00:00:01.000Z',
      });
      expect((await status(f.adminToken)).body).toMatchObject({
        pending: 3,
        oldestPendingSince: '2026-01-01T00:00:00.000Z',
        lastCompletedAt: '2026-01-04T00:00:01.000Z',
        queue: expect.objectContaining({ waiting: expect.any(Number) }),
      });
      await t.db.query(`DELETE FROM aggregation_dirty`);
    });
  });

  describe('GET /reports/exports/:id/file', () => {
    let worker: INestApplicationContext;
    beforeAll(async () => {
      worker = await createTestWorker();
    });
    afterAll(() => worker.close());

    const requestExport = async (token: string, target: object) => {
      const queued = await t
        .http()
        .post('/api/v1/reports/exports')
        .set(bearer(token))
        .send({ target, period: '2024', format: 'csv' })
        .expect(202);
      const done = await eventually(
        () => t.http().get(`/api/v1/reports/exports/${queued.body.id}`).set(bearer(token)),
        (res) => res.body.status === 'done' || res.body.status === 'failed',
      );
      expect(done.body.status).toBe('done');
      return done.body.download as string;
    };
    const download = (token: string, url: string) => t.http().get(url).set(bearer(token));

    it('serves the file only while the current scope still covers the export', async () => {
      const u = await f.user('evaluator', { associationIds: [assocA, assocB] });
      const ofA = await requestExport(u.token, { type: 'association', id: assocA });
      const ofB = await requestExport(u.token, { type: 'association', id: assocB });
      const ofInterventionA = await requestExport(u.token, { type: 'intervention', id: interventionA });
      const region = await requestExport(u.token, { type: 'region' }); // "all in my scope": A and B
      for (const url of [ofA, ofB, ofInterventionA, region]) await download(u.token, url).expect(200);

      // Association A is taken away: the old token ends, and with a new one only B's file is served.
      await t
        .http()
        .patch(`/api/v1/users/${u.id}`)
        .set(bearer(f.adminToken))
        .send({ associationIds: [assocB] })
        .expect(200);
      await download(u.token, ofB).expect(401);
      const token = await login(t, u.email, PASSWORD);
      await download(token, ofB).expect(200);
      for (const url of [ofA, ofInterventionA, region]) {
        const res = await download(token, url).expect(403);
        expect(res.body.message).toMatch(/outside your scope/);
      }

      // Given back, it is served again: the check reads the scope as it is now.
      await t
        .http()
        .patch(`/api/v1/users/${u.id}`)
        .set(bearer(f.adminToken))
        .send({ associationIds: [assocA, assocB] })
        .expect(200);
      const again = await login(t, u.email, PASSWORD);
      for (const url of [ofA, ofInterventionA, region]) await download(again, url).expect(200);
    });
  });
});
