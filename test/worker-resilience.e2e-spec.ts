import type { INestApplicationContext } from '@nestjs/common';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { bearer, Fixtures, validEnrolment } from './helpers/fixtures';
import { buildApp, exited, freePort, spawnWorker, startRedis } from './helpers/processes';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

/**
 * Nothing is lost: a worker killed mid-job, a worker stopped with SIGTERM mid-job, and Redis stopped
 * during writes all end with correct results.
 */
describe('worker resilience', () => {
  let build: ReturnType<typeof buildApp>;
  beforeAll(() => {
    build = buildApp();
  }, 120_000);
  afterAll(() => build.remove());

  describe('with the worker as a separate process', () => {
    let t: TestApp;
    let f: Fixtures;
    let evaluatorToken: string;
    let associationId: string;
    let lock: Client;
    const workerEnv = () => ({
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_PREFIX: process.env.REDIS_PREFIX!,
      WORKER_LOCK_MS: '2000',
      SWEEP_EVERY_MS: '500',
      LOG_LEVEL: 'silent',
    });

    beforeAll(async () => {
      t = await createTestApp();
      f = await Fixtures.create(t);
      associationId = (await f.association()).id;
      evaluatorToken = (await f.user('evaluator', { associationIds: [associationId] })).token;
      lock = new Client({ connectionString: process.env.DATABASE_URL });
      await lock.connect();
    });
    afterAll(async () => {
      await lock.end();
      await t.close();
    });

    /** Holds the intervention's dirty marks so a worker's job blocks right before it would commit. */
    async function blockCommitOf(interventionId: string): Promise<void> {
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM aggregation_dirty WHERE intervention_id = $1 FOR UPDATE', [
        interventionId,
      ]);
    }
    const waitUntilWorkerBlocked = () =>
      eventually(
        () =>
          t.db.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM aggregation_dirty%'`,
          ),
        (rows) => rows[0].n > 0,
      );
    const report = (interventionId: string) =>
      t.http().get(`/api/v1/reports/interventions/${interventionId}?period=2024`).set(bearer(evaluatorToken));

    it('converges after a worker is killed mid-job and another starts', async () => {
      const interventionId = (await f.intervention(associationId)).id;
      await f.enrol(f.adminToken, interventionId, { startedOn: '2024-03-01' });
      await f.enrol(f.adminToken, interventionId, { startedOn: '2024-04-01', gender: 'man' });
      await blockCommitOf(interventionId);
      const first = spawnWorker(build.dir, workerEnv());
      await waitUntilWorkerBlocked();
      first.kill('SIGKILL');
      await exited(first);
      await lock.query('ROLLBACK');

      // The killed job's transaction died with it: no results, the marks are still there.
      const [{ results }] = await t.db.query(
        `SELECT count(*)::int AS results FROM period_result WHERE scope_id = $1`,
        [interventionId],
      );
      expect(results).toBe(0);
      const [{ marks }] = await t.db.query(
        `SELECT count(*)::int AS marks FROM aggregation_dirty WHERE intervention_id = $1`,
        [interventionId],
      );
      expect(marks).toBeGreaterThan(0);

      const second = spawnWorker(build.dir, workerEnv());
      try {
        const res = await eventually(
          () => report(interventionId),
          (r) => r.status === 200 && r.body.fresh && r.body.new.total === 2,
          30_000,
        );
        expect(res.body.new).toEqual({ woman: 1, man: 1, unspecified: 0, total: 2 });
      } finally {
        second.kill('SIGTERM');
        await exited(second);
      }
    });

    it('lets the running job finish on SIGTERM', async () => {
      const interventionId = (await f.intervention(associationId)).id;
      await f.enrol(f.adminToken, interventionId, { startedOn: '2024-05-01' });
      await blockCommitOf(interventionId);
      const worker = spawnWorker(build.dir, workerEnv());
      await waitUntilWorkerBlocked();
      worker.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      expect(worker.exitCode).toBeNull(); // still finishing its job
      await lock.query('ROLLBACK');
      // Nest closes the app (the job finishes, queues close), then re-raises the signal to exit.
      expect(await exited(worker)).toEqual({ code: null, signal: 'SIGTERM' });
      const [{ results }] = await t.db.query(
        `SELECT count(*)::int AS results FROM period_result WHERE scope_id = $1 AND period_code = '2024' AND (counts->'new'->>'total')::int = 1`,
        [interventionId],
      );
      expect(results).toBe(1);
      const [{ marks }] = await t.db.query(
        `SELECT count(*)::int AS marks FROM aggregation_dirty WHERE intervention_id = $1 AND year = 2024`,
        [interventionId],
      );
      expect(marks).toBe(0);
    });
  });

  describe('with Redis stopped during writes', () => {
    let redis: ChildProcess;
    let port: number;
    let t: TestApp;
    let worker: INestApplicationContext;
    const saved = { url: process.env.REDIS_URL, sweep: process.env.SWEEP_EVERY_MS };

    beforeAll(async () => {
      port = await freePort();
      redis = startRedis(port);
      process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
      process.env.SWEEP_EVERY_MS = '500';
      await new Promise((r) => setTimeout(r, 300));
      t = await createTestApp();
      worker = await createTestWorker();
    });
    afterAll(async () => {
      await worker.close();
      await t.close();
      redis.kill('SIGKILL');
      process.env.REDIS_URL = saved.url;
      process.env.SWEEP_EVERY_MS = saved.sweep;
    });

    it('accepts writes while Redis is down and converges once it is back (even empty)', async () => {
      const f = await Fixtures.create(t);
      const associationId = (await f.association()).id;
      const interventionId = (await f.intervention(associationId)).id;
      const evaluator = await f.user('evaluator', { associationIds: [associationId] });

      redis.kill('SIGKILL');
      await exited(redis);
      const health = await t.http().get('/health');
      expect(health.status).toBe(503);

      const started = Date.now();
      for (const gender of ['woman', 'man', 'man']) {
        await t
          .http()
          .post(`/api/v1/interventions/${interventionId}/enrolments`)
          .set(bearer(f.adminToken))
          .send(validEnrolment({ gender, startedOn: '2024-09-01' }))
          .expect(201);
      }
      expect(Date.now() - started).toBeLessThan(5000); // writes do not wait for Redis
      const [{ marks }] = await t.db.query(
        `SELECT count(*)::int AS marks FROM aggregation_dirty WHERE intervention_id = $1`,
        [interventionId],
      );
      expect(marks).toBeGreaterThan(0);

      redis = startRedis(port); // a new, empty Redis on the same address
      const res = await eventually(
        () =>
          t
            .http()
            .get(`/api/v1/reports/interventions/${interventionId}?period=2024-Q3`)
            .set(bearer(evaluator.token)),
        (r) => r.status === 200 && r.body.fresh && r.body.new.total === 3,
        30_000,
      );
      expect(res.body.new).toEqual({ woman: 1, man: 2, unspecified: 0, total: 3 });
      await t.http().get('/health').expect(200);
    });
  });
});
