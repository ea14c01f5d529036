// npm run bench:export: export an association of 100,000 enrolments (XLSX and CSV, directly and as a job).
import { JobName, REBUILD_ALL_JOB_ID } from '../libs/queue/src/queues';
import { load, plan, TODAY, type Scale } from './bench-data';
import { machine, peakRssMiB, percentile, runBenchmark, waitFor } from './bench-lib';

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

runBenchmark(async (system) => {
  console.log(`bench:export on ${machine()}, ${TODAY}`);
  console.log(
    `scale: one association, ${SCALE.interventionsPerAssociation} interventions, ${SCALE.enrolments} enrolments over ${SCALE.years} years`,
  );
  const { db, worker, api, queue, events, base } = system;
  const p = plan(SCALE);
  await load(db.url, SCALE, p);
  const job = await queue.add(JobName.RebuildAll, {}, { jobId: REBUILD_ALL_JOB_ID });
  await events.waitUntilReady();
  await job.waitUntilFinished(events, 10 * 60_000);

  const headers = await system.adminHeaders();
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
});
