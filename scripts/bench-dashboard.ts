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
      body: JSON.stringify({ participants: 400, newParticipants: 200, shareWorkOrStudies: 0.35, shareOrdinaryIntervention: 0.2 }),
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
    const res = await fetch(`${base}/styrelse/${association}${query}`, { headers: { cookie }, redirect: 'manual' });
