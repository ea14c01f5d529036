import type { INestApplicationContext } from '@nestjs/common';
import type { ChildProcess } from 'node:child_process';
import { expectRefused } from './helpers/envelope';
import { bearer, Fixtures } from './helpers/fixtures';
import { exited, freePort, startRedis } from './helpers/processes';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

const ANSWER_WITHIN_MS = 2000;

/**
 * Issue 8: with Redis stopped (a Redis of this test's own), every endpoint answers within 2 s; an export
 * asked for meanwhile is 202 and queued, and is made once Redis is back; a rebuild is 503 and leaves nothing, and
 * so are an import's upload and commit (no import row written, a validated import left as it was).
 */
describe('Redis stopped: no hangs, nothing lost', () => {
  let redis: ChildProcess;
  let port: number;
  let t: TestApp;
  let worker: INestApplicationContext;
  let f: Fixtures;
  const saved = { url: process.env.REDIS_URL, sweep: process.env.SWEEP_EVERY_MS };

  beforeAll(async () => {
    port = await freePort();
    redis = startRedis(port);
    process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
    process.env.SWEEP_EVERY_MS = '500';
    await new Promise((r) => setTimeout(r, 300));
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
  });
  afterAll(async () => {
    // Closing BullMQ waits for Redis: bring it back if a failed expectation left it stopped.
    if (redis.exitCode !== null || redis.signalCode !== null) redis = startRedis(port);
    await worker.close();
    await t.close();
    redis.kill('SIGKILL');
    process.env.REDIS_URL = saved.url;
    process.env.SWEEP_EVERY_MS = saved.sweep;
  });

  it('answers every endpoint of the OpenAPI document within 2 s, and catches up once Redis is back', async () => {
    const associationId = (await f.association()).id;
    const interventionId = (await f.intervention(associationId)).id;
    const enrolmentId = (await f.enrol(f.adminToken, interventionId, { startedOn: '2024-03-01' })).id;
    const evaluator = await f.user('evaluator', { associationIds: [associationId] });
    const ids: Record<string, string> = {
      associations: associationId,
      interventions: interventionId,
      enrolments: enrolmentId,
      users: evaluator.id,
      exports: '00000000-0000-4000-8000-000000000000',
    };
    // An import validated while Redis is up, to be committed while it is away.
    const importCsv = (code: string) =>
      Buffer.from(
        `Deltagarkod;Insats;Startdatum;Anvisande part;Kön;Ålder;Kommun\r\n${code};${interventionId};2024-03-01;Försäkringskassan;Kvinna;30;Haninge\r\n`,
        'utf8',
      );
    const uploadImport = (code: string, filename: string) =>
      t
        .http()
        .post('/api/v1/imports')
        .set(bearer(evaluator.token))
        .field('associationId', associationId)
        .attach('file', importCsv(code), filename);
    const importStatus = (id: string) => t.http().get(`/api/v1/imports/${id}`).set(bearer(evaluator.token));
    const uploaded = await uploadImport('OUTAGE-1', 'before-outage.csv').expect(202);
    await eventually(
      () => importStatus(uploaded.body.id),
      (r) => r.body.status === 'validated',
      30_000,
    );
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };

    redis.kill('SIGKILL');
    await exited(redis);
    await t.http().get('/health').expect(503);

    const slow: string[] = [];
    const failed: string[] = [];
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) {
        const path = template.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
          if (name === 'year') return '2024';
          const collection = template.slice(0, offset).split('/').filter(Boolean).at(-1)!;
          return ids[collection] ?? ids.interventions;
        });
        const query = path.includes('/reports/')
          ? { period: '2024', ...(path.endsWith('export') ? { format: 'csv' } : {}) }
          : {};
        const started = Date.now();
        const agent = t.http();
        const res = await agent[method as 'get'](path)
          .query(query)
          .set(bearer(f.adminToken))
          .send(method === 'get' || method === 'delete' ? undefined : {});
        const took = Date.now() - started;
        if (took > ANSWER_WITHIN_MS) slow.push(`${method.toUpperCase()} ${template}: ${took} ms`);
        const expected503 = template === '/api/v1/aggregation/rebuild' || template === '/health';
        if (res.status >= 500 && !(res.status === 503 && expected503))
          failed.push(`${method.toUpperCase()} ${template}: ${res.status}`);
      }
    }
    expect(slow).toEqual([]);
    expect(failed).toEqual([]);

    // A rebuild cannot be queued: 503 in the envelope, quickly, nothing written.
    const started = Date.now();
    const rebuild = await t.http().post('/api/v1/aggregation/rebuild').set(bearer(f.adminToken));
    expect(Date.now() - started).toBeLessThan(ANSWER_WITHIN_MS);
    expectRefused(rebuild, 503);

    // An import can neither be uploaded nor committed: 503 at once, no import row, the validated one untouched.
    const importStarted = Date.now();
    const refusedUpload = await uploadImport('OUTAGE-2', 'during-outage.csv');
    expect(Date.now() - importStarted).toBeLessThan(ANSWER_WITHIN_MS);
    expectRefused(refusedUpload, 503);
    expect(await t.db.query(`SELECT 1 FROM import_job WHERE filename = 'during-outage.csv'`)).toEqual([]);
    const refusedCommit = await t
      .http()
      .post(`/api/v1/imports/${uploaded.body.id}/commit`)
      .set(bearer(evaluator.token));
    expectRefused(refusedCommit, 503);
    expect((await importStatus(uploaded.body.id)).body.status).toBe('validated');

    // An export is accepted: its row is the record, and the sweep enqueues it once Redis is back.
    const requested = await t
      .http()
      .post('/api/v1/reports/exports')
      .set(bearer(evaluator.token))
      .send({ target: { type: 'intervention', id: interventionId }, period: '2024', format: 'csv' });
    expect(requested.status).toBe(202);
    expect(requested.body.status).toBe('queued');

    redis = startRedis(port); // a new, empty Redis on the same address: every job it had is gone
    const done = await eventually(
      () => t.http().get(`/api/v1/reports/exports/${requested.body.id}`).set(bearer(evaluator.token)),
      (r) => r.status === 200 && r.body.status === 'done',
      30_000,
    );
    expect(done.body.download).toBe(`/api/v1/reports/exports/${requested.body.id}/file`);
    const file = await t.http().get(done.body.download).set(bearer(evaluator.token)).expect(200);
    expect(file.headers['content-type']).toMatch(/text\/csv/);
    await eventually(
      () => t.http().get('/health'),
      (r) => r.status === 200,
    );
    // With Redis back the import is committed as usual.
    await t
      .http()
      .post(`/api/v1/imports/${uploaded.body.id}/commit`)
      .set(bearer(evaluator.token))
      .expect(202);
    const committed = await eventually(
      () => importStatus(uploaded.body.id),
      (r) => r.body.status === 'done' || r.body.status === 'failed',
      30_000,
    );
    expect(committed.body).toMatchObject({ status: 'done', summary: { created: 1 } });
    // (No rebuild is asked for again here: its run row would be seen by other tests sharing the database.)
  });
});
