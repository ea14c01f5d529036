import type { INestApplicationContext } from '@nestjs/common';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { AggregationRepository } from '../libs/aggregation/src/aggregation.repository';
import { PurgedFiguresRepository } from '../libs/aggregation/src/purged-figures.repository';
import { RecomputeService } from '../libs/aggregation/src/recompute.service';
import { emptyPeriodCounts, expandCounts } from '../libs/domain/src/metrics';
import { bearer, Fixtures } from './helpers/fixtures';
import { buildApp, exited, spawnWorker } from './helpers/processes';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

/**
 * Recomputes keep up with a stream of writes: writes that arrive while one runs are served together by
 * one more, a recompute of one association never runs twice at once (also with two worker processes), and
 * what they store equals a clean rebuild.
 */
describe('coalesced recomputes', () => {
  let t: TestApp;
  let f: Fixtures;
  let rebuild: RecomputeService;

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
    rebuild = new RecomputeService(t.db, new AggregationRepository(), new PurgedFiguresRepository());
  });
  afterAll(() => t.close());

  /** Every stored result of the associations (and their interventions), without when it was computed. */
  const snapshot = (associationIds: string[]) =>
    t.db.query(
      `SELECT r.scope_type, r.scope_id, r.period_code, r.period_start::text, r.period_end::text, r.counts
         FROM period_result r
        WHERE r.scope_id = ANY($1) OR r.scope_id IN (SELECT id FROM intervention WHERE association_id = ANY($1))
        ORDER BY 1, 2, 3`,
      [associationIds],
    );
  const marksOf = async (associationIds: string[]) =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n FROM aggregation_dirty d JOIN intervention i ON i.id = d.intervention_id
          WHERE i.association_id = ANY($1)`,
        [associationIds],
      )
    )[0].n as number;
  const runsOf = async (associationId: string) =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n FROM aggregation_run WHERE kind = 'recompute' AND scope_id = $1`,
        [associationId],
      )
    )[0].n as number;

  /**
   * Every report reads the same from the incremental results as from a clean rebuild. A report reads a
   * result that was never stored (a year nothing touched) as all zeros, so such a row counts as empty.
   */
  async function expectEqualsCleanRebuild(associationIds: string[]): Promise<void> {
    type Stored = { scope_id: string; period_code: string; counts: Record<string, unknown> };
    const asReports = (rows: Stored[]) =>
      new Map(rows.map((r) => [`${r.scope_id}/${r.period_code}`, expandCounts(r.counts)]));
    const incremental = asReports(await snapshot(associationIds));
    expect(incremental.size).toBeGreaterThan(0);
    for (const id of associationIds) await rebuild.rebuildAssociation(id);
    const clean = asReports(await snapshot(associationIds));
    for (const key of new Set([...incremental.keys(), ...clean.keys()]))
      expect({ key, counts: incremental.get(key) ?? emptyPeriodCounts() }).toEqual({
        key,
        counts: clean.get(key) ?? emptyPeriodCounts(),
      });
  }

  it('never gives a mark made again after it was cleared a version seen before', async () => {
    // A round that read version v must not clear a mark that was cleared and made again meanwhile.
    // Each version is read in the transaction that made it (a worker of another test may clear marks).
    const associationId = (await f.association()).id;
    const a = (await f.intervention(associationId)).id;
    const repository = new AggregationRepository();
    const markAndRead = () =>
      t.db.transaction(async (tx) => {
        await repository.markDirty(tx, a, [2031]);
        return (await tx.query(`SELECT version FROM aggregation_dirty WHERE intervention_id = $1`, [a]))[0]
          .version as string;
      });
    const first = await markAndRead();
    await t.db.query(`DELETE FROM aggregation_dirty WHERE intervention_id = $1`, [a]);
    const second = await markAndRead();
    const third = await markAndRead();
    expect(new Set([first, second, third]).size).toBe(3);
    await t.db.query(`DELETE FROM aggregation_dirty WHERE intervention_id = $1`, [a]);
  });

  describe('in one worker', () => {
    let worker: INestApplicationContext;
    let lock: Client;
    beforeAll(async () => {
      worker = await createTestWorker();
      lock = new Client({ connectionString: process.env.DATABASE_URL });
      await lock.connect();
    });
    afterAll(async () => {
      await lock.end();
      await worker.close();
    });

    /**
     * The recompute loads without a lock and takes the association's lock only to write: holding that lock
     * keeps the round that `first` starts running (computed, waiting to write) while `meanwhile` writes.
     */
    async function whileFirstRoundWaitsToWrite(
      associationId: string,
      first: () => Promise<unknown>,
      meanwhile: () => Promise<unknown>,
    ): Promise<void> {
      await lock.query(`SELECT pg_advisory_lock(727003, hashtext($1))`, [associationId]);
      try {
        await first();
        await eventually(
          () =>
            t.db.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND query LIKE '%pg_advisory_xact_lock%'`,
            ),
          (rows) => rows[0].n > 0,
        );
        await meanwhile();
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(727003, hashtext($1))`, [associationId]);
      }
    }

    it('serves two writes that arrive while a recompute runs with exactly one more recompute', async () => {
      const associationId = (await f.association()).id;
      const a = (await f.intervention(associationId)).id;
      const b = (await f.intervention(associationId)).id;
      await whileFirstRoundWaitsToWrite(
        associationId,
        () => f.enrol(f.adminToken, a, { startedOn: '2024-03-01' }),
        async () => {
          await f.enrol(f.adminToken, a, { startedOn: '2024-04-01', gender: 'man' });
          await f.enrol(f.adminToken, b, { startedOn: '2024-05-01' });
        },
      );
      await eventually(
        () => marksOf([associationId]),
        (n) => n === 0,
      );
      // Settle: a third recompute would have to start from a mark, and none is left.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await runsOf(associationId)).toBe(2);
      const report = await expectFreshAndAsRebuilt(associationId, 3);
      expect(report.new).toEqual({ woman: 2, man: 1, unspecified: 0, total: 3 });
    });

    /** The association's recompute runs in order: when each began and how long it took (ms). */
    const runTimes = async (associationId: string): Promise<{ started: number; took: number }[]> =>
      (
        await t.db.query(
          `SELECT extract(epoch FROM started_at) * 1000 AS started,
                  extract(epoch FROM finished_at - started_at) * 1000 AS took
             FROM aggregation_run WHERE kind = 'recompute' AND scope_id = $1 ORDER BY started_at`,
          [associationId],
        )
      ).map((r: { started: string; took: string }) => ({ started: Number(r.started), took: Number(r.took) }));
    const runStarts = async (associationId: string) => (await runTimes(associationId)).map((r) => r.started);

    /** The association's 2024 report is fresh with `total` new enrolments, and equals a clean rebuild; its body. */
    async function expectFreshAndAsRebuilt(
      associationId: string,
      total: number,
    ): Promise<{ new: Record<string, number> }> {
      const evaluator = await f.user('evaluator', { associationIds: [associationId] });
      const report = await t
        .http()
        .get(`/api/v1/reports/associations/${associationId}?period=2024`)
        .set(bearer(evaluator.token))
        .expect(200);
      expect(report.body.fresh).toBe(true);
      expect(report.body.new.total).toBe(total);
      await expectEqualsCleanRebuild([associationId]);
      return report.body;
    }

    it('starts the next round RECOMPUTE_SPACING_MS after one during which writes arrived', async () => {
      const spacingMs = 1000; // the default (config/environment.ts); the tests do not set it
      expect(process.env.RECOMPUTE_SPACING_MS).toBeUndefined();
      const associationId = (await f.association()).id;
      const a = (await f.intervention(associationId)).id;
      // A second write arrives while the first round waits to write, so that round ends with a mark left.
      await whileFirstRoundWaitsToWrite(
        associationId,
        () => f.enrol(f.adminToken, a, { startedOn: '2024-03-01' }),
        () => f.enrol(f.adminToken, a, { startedOn: '2024-04-01', gender: 'man' }),
      );
      await eventually(
        () => marksOf([associationId]),
        (n) => n === 0,
      );
      const starts = await runStarts(associationId);
      expect(starts).toHaveLength(2);
      // Each run records when its computing began, a few milliseconds after its round's clock started.
      expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(spacingMs - 50);
      await expectFreshAndAsRebuilt(associationId, 2);
    });

    it('spaces the next round further when a round took more than a quarter of the spacing', async () => {
      const associationId = (await f.association()).id;
      const a = (await f.intervention(associationId)).id;
      // The first round waits about 700 ms for its lock (a busy machine), and a write arrives meanwhile.
      await whileFirstRoundWaitsToWrite(
        associationId,
        () => f.enrol(f.adminToken, a, { startedOn: '2024-03-01' }),
        async () => {
          await f.enrol(f.adminToken, a, { startedOn: '2024-04-01', gender: 'man' });
          await new Promise((r) => setTimeout(r, 700));
        },
      );
      await eventually(
        () => marksOf([associationId]),
        (n) => n === 0,
      );
      const runs = await runTimes(associationId);
      expect(runs).toHaveLength(2);
      expect(runs[0].took).toBeGreaterThan(600);
      // The gap is the first round's duration / BUSY_ROUND_SHARE (0.25), well beyond the 1 s spacing.
      expect(runs[1].started - runs[0].started).toBeGreaterThanOrEqual(runs[0].took / 0.25 - 50);
      await expectFreshAndAsRebuilt(associationId, 2);
    });

    it('recomputes the next write at once when the last round ended with nothing left', async () => {
      const associationId = (await f.association()).id;
      const a = (await f.intervention(associationId)).id;
      await f.enrol(f.adminToken, a, { startedOn: '2024-03-01' });
      await eventually(
        () => marksOf([associationId]),
        (n) => n === 0,
      );
      // Well within the spacing of that round, but no write came during it: no reason to wait.
      const written = Date.now();
      await f.enrol(f.adminToken, a, { startedOn: '2024-04-01' });
      await eventually(
        () => marksOf([associationId]),
        (n) => n === 0,
      );
      const starts = await runStarts(associationId);
      expect(starts).toHaveLength(2);
      expect(starts[1] - written).toBeLessThan(500);
    });

    it('records the real start and finish of each run', async () => {
      const associationId = (await f.association()).id;
      const a = (await f.intervention(associationId)).id;
      await lock.query(`SELECT pg_advisory_lock(727003, hashtext($1))`, [associationId]);
      await f.enrol(f.adminToken, a, { startedOn: '2024-03-01' });
      await new Promise((r) => setTimeout(r, 400));
      await lock.query(`SELECT pg_advisory_unlock(727003, hashtext($1))`, [associationId]);
      await eventually(
        () => marksOf([associationId]),
        (n) => n === 0,
      );
      const [run] = await runTimes(associationId);
      expect(run.took).toBeGreaterThanOrEqual(300); // it waited for the lock: not the transaction's start
    });

    it('a rebuild with one association made unbuildable rebuilds all the others and reports the one', async () => {
      const [good1, bad, good2] = [
        (await f.association()).id,
        (await f.association()).id,
        (await f.association()).id,
      ];
      const interventions: Record<string, string> = {};
      for (const id of [good1, bad, good2]) {
        interventions[id] = (await f.intervention(id)).id;
        await f.enrol(f.adminToken, interventions[id], { startedOn: '2024-03-01' });
      }
      await eventually(
        () => marksOf([good1, bad, good2]),
        (n) => n === 0,
      );
      await t.db.query(`DELETE FROM period_result WHERE scope_id = ANY($1) OR scope_id = ANY($2)`, [
        [good1, bad, good2],
        Object.values(interventions),
      ]);
      // Made unbuildable: the database refuses every result of that association.
      await t.db.query(`
        CREATE FUNCTION refuse_results_${bad.replace(/-/g, '')}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.scope_id IN ('${bad}', '${interventions[bad]}') THEN RAISE EXCEPTION 'cannot store this scope'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_results_${bad.replace(/-/g, '')} BEFORE INSERT ON period_result
          FOR EACH ROW EXECUTE FUNCTION refuse_results_${bad.replace(/-/g, '')}();`);
      // Run log: recomputes (one per round) are kept two weeks, rebuilds three months.
      const [{ id: oldRecompute }] = await t.db.query(
        `INSERT INTO aggregation_run (kind, started_at, finished_at, enrolments, results)
         VALUES ('recompute', now() - interval '20 days', now() - interval '20 days', 0, 0) RETURNING id`,
      );
      const [{ id: oldRebuild }] = await t.db.query(
        `INSERT INTO aggregation_run (kind, started_at, finished_at, enrolments, results)
         VALUES ('rebuild', now() - interval '20 days', now() - interval '20 days', 0, 0) RETURNING id`,
      );
      try {
        const result = await rebuild.rebuildAll();
        expect(result.failures).toEqual(
          expect.arrayContaining([{ associationId: bad, message: expect.stringContaining('cannot store') }]),
        );
        expect(result.failures.map((x) => x.associationId)).not.toEqual(expect.arrayContaining([good1]));
        expect(result.failures.map((x) => x.associationId)).not.toEqual(expect.arrayContaining([good2]));
      } finally {
        await t.db.query(`DROP TRIGGER refuse_results_${bad.replace(/-/g, '')} ON period_result;
                          DROP FUNCTION refuse_results_${bad.replace(/-/g, '')}();`);
      }
      const kept = await t.db.query(`SELECT id FROM aggregation_run WHERE id = ANY($1)`, [
        [oldRecompute, oldRebuild],
      ]);
      expect(kept.map((r: { id: string }) => r.id)).toEqual([oldRebuild]);
      const [{ n }] = await t.db.query(
        `SELECT count(DISTINCT scope_id)::int AS n FROM period_result WHERE scope_id = ANY($1) AND period_code = '2024'`,
        [[good1, good2, interventions[good1], interventions[good2]]],
      );
      expect(n).toBe(4);
      const [{ badRows }] = await t.db.query(
        `SELECT count(*)::int AS "badRows" FROM period_result WHERE scope_id = ANY($1)`,
        [[bad, interventions[bad]]],
      );
      expect(badRows).toBe(0);
      // The status says which failed, to those who may see that association only.
      const status = await t.http().get('/api/v1/aggregation/status').set(bearer(f.adminToken)).expect(200);
      expect(status.body.lastRebuildFailures).toEqual(
        expect.arrayContaining([{ associationId: bad, message: expect.stringContaining('cannot store') }]),
      );
      const outsider = await f.user('evaluator', { associationIds: [good1] });
      const theirs = await t.http().get('/api/v1/aggregation/status').set(bearer(outsider.token)).expect(200);
      expect(theirs.body.lastRebuildFailures).toEqual([]);
    });
  });

  describe('in two worker processes on one Redis', () => {
    let build: ReturnType<typeof buildApp>;
    let workers: ChildProcess[] = [];
    beforeAll(() => {
      build = buildApp();
    }, 120_000);
    afterAll(async () => {
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map(exited));
      build.remove();
    });

    it('never compute the same association at once and end equal to a clean rebuild', async () => {
      const associations = [(await f.association()).id, (await f.association()).id];
      const interventions: string[] = [];
      for (const a of associations)
        for (let n = 0; n < 2; n++) interventions.push((await f.intervention(a)).id);
      const env = {
        DATABASE_URL: process.env.DATABASE_URL!,
        REDIS_PREFIX: process.env.REDIS_PREFIX!,
        SWEEP_EVERY_MS: '500',
        LOG_LEVEL: 'silent',
      };
      workers = [spawnWorker(build.dir, env), spawnWorker(build.dir, env)];
      // A stream of writes, several at a time, spread over both associations and several years.
      const writes: Promise<unknown>[] = [];
      for (let n = 0; n < 40; n++) {
        const interventionId = interventions[n % interventions.length];
        writes.push(
          f.enrol(f.adminToken, interventionId, {
            startedOn: `${2021 + (n % 4)}-0${1 + (n % 9)}-1${n % 10}`,
            gender: n % 3 ? 'woman' : 'man',
          }),
        );
        if (writes.length === 4) await Promise.all(writes.splice(0));
      }
      await Promise.all(writes);
      await eventually(
        () => marksOf(associations),
        (n) => n === 0,
        60_000,
      );
      const [{ overlapping }] = await t.db.query(
        `SELECT count(*)::int AS overlapping FROM aggregation_run a JOIN aggregation_run b
            ON a.scope_id = b.scope_id AND a.id < b.id AND a.kind = 'recompute' AND b.kind = 'recompute'
           AND tstzrange(a.started_at, a.finished_at) && tstzrange(b.started_at, b.finished_at)
         WHERE a.scope_id = ANY($1)`,
        [associations],
      );
      expect(overlapping).toBe(0);
      for (const a of associations) expect(await runsOf(a)).toBeGreaterThan(0);
      await expectEqualsCleanRebuild(associations);
    });
  });
});
