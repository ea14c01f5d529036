// npm run bench:dashboard: server time to render the board dashboard of an association with 20 insatser and
// 100,000 enrolments (p50/p95 over BENCH_RUNS requests, after warm-up), through a real web session.
import { JobName, REBUILD_ALL_JOB_ID } from '../libs/queue/src/queues';
import { load, plan, TODAY, type Scale } from './bench-data';
import { machine, percentile, runBenchmark } from './bench-lib';

const SCALE: Scale = {
  enrolments: Number(process.env.BENCH_ENROLMENTS ?? 100_000),
  associations: 1,
  interventionsPerAssociation: Number(process.env.BENCH_INTERVENTIONS ?? 20),
  years: Number(process.env.BENCH_YEARS ?? 5),
};
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const WARM_UP = 5;

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .filter((c) => !c.endsWith('='))
    .join('; ');
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

runBenchmark(async (system) => {
  console.log(`bench:dashboard on ${machine()}, ${TODAY}`);
  console.log(
    `scale: one association, ${SCALE.interventionsPerAssociation} interventions, ${SCALE.enrolments} enrolments over ${SCALE.years} years`,
  );
  const { db, queue, events, base } = system;
  const p = plan(SCALE);
  await load(db.url, SCALE, p);
  const job = await queue.add(JobName.RebuildAll, {}, { jobId: REBUILD_ALL_JOB_ID });
  await events.waitUntilReady();
  await job.waitUntilFinished(events, 10 * 60_000);

  const headers = await system.adminHeaders();
  const association = p.associations[0].id;
  const year = TODAY.slice(0, 4);
  for (const i of p.interventions) {
    await fetch(`${base}/api/v1/interventions/${i.id}/goals/${year}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        participants: 400,
        newParticipants: 200,
        shareWorkOrStudies: 0.35,
        shareOrdinaryIntervention: 0.2,
      }),
    });
  }
  const email = 'styrelse@bench.se';
  const password = 'bench-board-password-1';
  const created = await fetch(`${base}/api/v1/users`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email, password, role: 'board', associationIds: [association] }),
  });
  if (!created.ok) throw new Error(`board user: ${created.status} ${await created.text()}`);

  // Sign in through the login form, as a browser does.
  const form = await fetch(`${base}/`);
  const signedIn = await fetch(`${base}/logga-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieOf(form), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfOf(await form.text()), email, password }),
  });
  if (signedIn.status !== 303) throw new Error(`web login failed: ${signedIn.status}`);
  const cookie = cookieOf(signedIn);

  const get = async (query: string): Promise<[number, number]> => {
    const t0 = performance.now();
    const res = await fetch(`${base}/styrelse/${association}${query}`, {
      headers: { cookie },
      redirect: 'manual',
    });
    const html = await res.text();
    if (res.status !== 200) throw new Error(`dashboard: ${res.status}`);
    return [performance.now() - t0, html.length];
  };

  // Computed: the first view of each period builds the dashboard from 29 masked report bodies. The process
  // is warmed up first with another year's view (a server's first request ever compiles its code paths; the
  // case measured is the first view of a period after the results change, on a running server).
  const cold: number[] = [];
  const last = Number(year) - 1;
  await get(`?period=${last - 3}`);
  const periods = ['', '-H1', '-H2', '-Q1', '-Q2', '-Q3', '-Q4', '-YTD-Q1', '-YTD-Q2', '-YTD-Q3'];
  for (const y of [last - 2, last - 1, last])
    for (const suffix of periods) cold.push((await get(`?period=${y}${suffix}`))[0]);

  // Unchanged since the last view: one fingerprint read decides that the computed dashboard still holds.
  const times: number[] = [];
  let bytes = 0;
  for (let n = 0; n < WARM_UP + RUNS; n++) {
    const [ms, size] = await get('');
    if (n >= WARM_UP) times.push(ms);
    bytes = size;
  }
  console.log(
    `board dashboard, computed (first view of a period, ${cold.length} periods): p50 ${percentile(cold, 50).toFixed(1)} ms, p95 ${percentile(cold, 95).toFixed(1)} ms`,
  );
  console.log(
    `board dashboard, unchanged since last view (${SCALE.interventionsPerAssociation} insatser, 8-quarter trend): p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms over ${RUNS} requests, ${(bytes / 1024).toFixed(0)} KiB`,
  );
});
