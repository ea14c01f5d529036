// npm run bench:export: export an association of 100,000 enrolments (XLSX and CSV, directly and as a job).
import { Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { JobName, QueueName, REBUILD_ALL_JOB_ID } from '../libs/queue/src/queues';
import { load, plan, TODAY, type Scale } from './bench-data';
import {
  WORKER_NODE_FLAGS,
  createBenchDatabase,
  machine,
  peakRssMiB,
  percentile,
  runBuilt,
  waitFor,
} from './bench-lib';

const SCALE: Scale = {
  enrolments: Number(process.env.BENCH_ENROLMENTS ?? 100_000),
  associations: 1,
  interventionsPerAssociation: Number(process.env.BENCH_INTERVENTIONS ?? 20),
  years: 10,
};
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await work();
  return [value, performance.now() - t0];
}

async function main(): Promise<void> {
  console.log(`bench:export on ${machine()}, ${TODAY}`);
  console.log(
    `scale: one association, ${SCALE.interventionsPerAssociation} interventions, ${SCALE.enrolments} enrolments over ${SCALE.years} years`,
  );
  const db = await createBenchDatabase();
  const prefix = `uppfoljning-bench-${randomUUID().slice(0, 8)}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const env = {
    DATABASE_URL: db.url,
    REDIS_PREFIX: prefix,
    REDIS_URL: redisUrl,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret!',
  };
  const worker = runBuilt('apps/worker/src/main.js', [], env, WORKER_NODE_FLAGS);
  const port = 30000 + Math.floor(Math.random() * 20000);
  const api = runBuilt('apps/api/src/main.js', [], {
    ...env,
    PORT: String(port),
    BOOTSTRAP_ADMIN_EMAIL: 'bench@bench.se',
    BOOTSTRAP_ADMIN_PASSWORD: 'bench-password-123',
  });
  const queue = new Queue(QueueName.Aggregation, { connection: { url: redisUrl } as never, prefix });
  const events = new QueueEvents(QueueName.Aggregation, { connection: { url: redisUrl } as never, prefix });
  try {
    const p = plan(SCALE);
    await load(db.url, SCALE, p);
    const job = await queue.add(JobName.RebuildAll, {}, { jobId: REBUILD_ALL_JOB_ID });
    await events.waitUntilReady();
    await job.waitUntilFinished(events, 10 * 60_000);

    const base = `http://127.0.0.1:${port}`;
    const token = await waitFor(
      async () => {
        const res = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'bench@bench.se', password: 'bench-password-123' }),
        });
        return res.ok ? ((await res.json()) as { accessToken: string }).accessToken : undefined;
      },
      60_000,
      'the API',
    );
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const associationId = p.associations[0].id;
    const year = Number(TODAY.slice(0, 4)) - 1;

    for (const [format, period] of [
      ['xlsx', `${year}`],
      ['csv', `${year}`],
      ['xlsx', 'since-start'],
    ] as const) {
      const times: number[] = [];
      let bytes = 0;
      for (let n = 0; n < RUNS; n++) {
        const [size, ms] = await timed(async () => {
          const res = await fetch(
            `${base}/api/v1/reports/associations/${associationId}/export?period=${period}&format=${format}`,
            { headers },
          );
          if (!res.ok) throw new Error(`export failed: ${res.status} ${await res.text()}`);
          return (await res.arrayBuffer()).byteLength;
        });
        times.push(ms);
        bytes = size;
      }
      console.log(
        `direct export ${format.padEnd(4)} ${period.padEnd(11)}: median ${percentile(times, 50).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KiB`,
      );
    }

    const [status, jobMs] = await timed(async () => {
      const res = await fetch(`${base}/api/v1/reports/exports`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          target: { type: 'association', id: associationId },
          period: `${year}`,
          format: 'xlsx',
          publication: true,
        }),
      });
      const { id } = (await res.json()) as { id: string };
      return waitFor(
        async () => {
          const s = (await (await fetch(`${base}/api/v1/reports/exports/${id}`, { headers })).json()) as {
            status: string;
          };
          return s.status === 'done' || s.status === 'failed' ? s.status : undefined;
        },
        120_000,
        'the export job',
      );
    });
    console.log(`export job (xlsx, publication): ${status} in ${jobMs.toFixed(0)} ms (request to ready)`);
    console.log(
      `API peak RSS: ${peakRssMiB(api.pid!).toFixed(0)} MiB, worker peak RSS: ${peakRssMiB(worker.pid!).toFixed(0)} MiB`,
    );
  } catch (error) {
    console.error('benchmark failed:', error);
    process.exitCode = 1;
  } finally {
    await events.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    worker.kill('SIGTERM');
    api.kill('SIGTERM');
    await Promise.all([once(worker, 'exit'), once(api, 'exit')]);
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
