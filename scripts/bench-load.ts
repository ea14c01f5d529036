// npm run bench:load: mixed-role load through the API, with the API and the worker as separate processes.
//
// A fresh database gets its data by COPY and one full rebuild; then closed-loop virtual users of every role
// run against the built API: coordinators 50 % (participant list, register, exit, their insats' figures),
// evaluators 35 % (association, chosen-set and insats reports, direct XLSX, XLSX job to file) and board
// members 15 % (masked reports), while two probes write and poll until the report is fresh. Per level it
// prints count, errors and p50/p95/p99 of every operation, requests/s, write → fresh, the backlog and its
// drain time, and the peak RSS of API and worker.
//
// Settings (environment): BENCH_ENROLMENTS (60000), BENCH_LEVELS ("10,25,50"), BENCH_DURATION_S (60),
// BENCH_THINK_MS ("0,3000": mean think time of each run, exponential), BENCH_TIMEOUT_MS (30000), BENCH_ONLY.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Client } from 'pg';
import { JobName, REBUILD_ALL_JOB_ID } from '../libs/queue/src/queues';
import { load, plan, TODAY, type Plan, type Scale } from './bench-data';
import {
  cpuSeconds,
  cpuSecondsOf,
  machine,
  peakRssMiB,
  percentile,
  rssMiB,
  runBenchmark,
  seconds,
} from './bench-lib';

const SCALE: Scale = {
  enrolments: Number(process.env.BENCH_ENROLMENTS ?? 60_000),
  associations: 8,
  interventionsPerAssociation: 10,
  years: 10,
};
const LEVELS = (process.env.BENCH_LEVELS ?? '10,25,50').split(',').map(Number);
const DURATION_MS = Number(process.env.BENCH_DURATION_S ?? 60) * 1000;
const THINK_MS = (process.env.BENCH_THINK_MS ?? '0,3000').split(',').map(Number);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 30_000);
// BENCH_ONLY="coordinator list" (a role and one of its operations) runs that operation alone, without the
// probes, for a look at what one kind of call costs; users of the other roles stay idle.
const ONLY = process.env.BENCH_ONLY?.split(' ');
const PASSWORD = 'Bench-load-password-2026!';
const YEAR = TODAY.slice(0, 4);
const QUARTER = `${YEAR}-Q${Math.floor((Number(TODAY.slice(5, 7)) - 1) / 3) + 1}`;

type Role = 'coordinator' | 'evaluator' | 'board';
interface User {
  role: Role;
  headers: Record<string, string>;
  associationId: string;
  interventionId?: string;
}

/** Latencies and errors per operation, and the number of HTTP requests made. */
class Stats {
  readonly ops = new Map<string, { times: number[]; errors: number; lastError?: string }>();
  requests = 0;
  record(op: string, ms: number, error?: string): void {
    const s = this.ops.get(op) ?? { times: [], errors: 0 };
    if (error) {
      s.errors += 1;
      s.lastError = error;
    } else s.times.push(ms);
    this.ops.set(op, s);
  }
}

/**
 * HTTP client of the virtual users: node:http with kept-alive connections. The generator shares the machine
 * with the system it measures, so it is kept lean (fetch cost it about twice the CPU per request).
 */
class Api {
  private static readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  constructor(
    private readonly base: string,
    private readonly stats: Stats,
  ) {}

  async call(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; json: () => Promise<any>; bytes: () => Promise<number> }> {
    this.stats.requests += 1;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const { status, data } = await this.send(method, path, headers, payload).catch(
      (error: Error & { retry?: boolean }) => {
        if (!error.retry) throw error;
        // A kept-alive connection the API closed (idle past its keep-alive timeout) just as this request was sent on
        // it: the API never read the request, so it is sent again, on a new connection (what fetch does too).
        return this.send(method, path, headers, payload);
      },
    );
    if (status >= 400) throw new Error(`${method} ${path.split('?')[0]}: ${status} ${data.toString()}`);
    return {
      status,
      json: async () => JSON.parse(data.toString()),
      bytes: async () => data.length,
    };
  }

  private send(
    method: string,
    path: string,
    headers: Record<string, string>,
    payload: string | undefined,
  ): Promise<{ status: number; data: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${this.base}${path}`,
        {
          method,
          agent: Api.agent,
          headers:
            payload === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, data: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      req.on('error', (error: Error & { code?: string }) =>
        reject(
          Object.assign(error, {
            retry: req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE'),
          }),
        ),
      );
      req.end(payload);
    });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];
/** CPU seconds used so far by each part of the system under test, and by this load generator. */
function cpuNow(apiPid: number, workerPid: number) {
  const own = process.cpuUsage();
  return {
    api: cpuSeconds(apiPid),
    worker: cpuSeconds(workerPid),
    postgres: cpuSecondsOf('postgres'),
    generator: (own.user + own.system) / 1e6,
  };
}

/** CPU seconds used between two readings; PostgreSQL's by backend, so one that ended in between is not negative. */
function cpuUsed(before: ReturnType<typeof cpuNow>, after: ReturnType<typeof cpuNow>) {
  let postgres = 0;
  for (const [pid, seconds] of after.postgres) postgres += seconds - (before.postgres.get(pid) ?? 0);
  return {
    api: after.api - before.api,
    worker: after.worker - before.worker,
    postgres,
    generator: after.generator - before.generator,
  };
}

/** Picks an operation by weight (only BENCH_ONLY's, when it names one). */
function weighted<T extends string>(weights: Record<T, number>): T {
  if (ONLY && ONLY[1] in weights) return ONLY[1] as T;
  const entries = Object.entries(weights) as [T, number][];
  let r = Math.random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [op, w] of entries) if ((r -= w) < 0) return op;
  return entries[0][0];
}

function enrolmentBody(p: Plan, interventionId: string) {
  return {
    // Letters only: a run of hex digits can look like a personal number, which the API rightly refuses.
    participantCode: `L-${randomUUID()
      .replace(/-/g, '')
      .slice(0, 16)
      .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)])}`,
    startedOn: TODAY,
    referringParty: pick(['social_services', 'employment_service', 'social_insurance']),
    gender: pick(['woman', 'man', 'unspecified']),
    ageBand: pick(['19-20', '25-29', '30-39']),
    municipality: p.interventions.find((i) => i.id === interventionId)!.municipality,
    educationLevel: 'compulsory',
  };
}

/** One closed-loop virtual user: an operation of its role, a think time, again, until `until`. */
async function virtualUser(api: Api, stats: Stats, p: Plan, user: User, thinkMs: number, until: number) {
  const mine: string[] = []; // enrolments this coordinator registered and may exit
  const siblings = p.interventions.filter((i) => i.associationId === user.associationId).map((i) => i.id);
  // With think time, each user starts after a think of its own, as users in steady state are spread out; all
  // starting at once would time a burst of every user's first request that no real population makes.
  if (thinkMs > 0) await sleep(-Math.log(1 - Math.random()) * thinkMs);
  if (ONLY && ONLY[0] !== user.role) return;
  while (Date.now() < until) {
    const h = user.headers;
    let op: string;
    let work: () => Promise<unknown>;
    if (user.role === 'coordinator') {
      const id = user.interventionId!;
      op = weighted({ list: 35, register: 25, exit: 15, figures: 25 });
      if (op === 'exit' && mine.length === 0) op = 'register';
      const chosen = op;
      work = async () => {
        if (chosen === 'list')
          return (
            await api.call('GET', `/api/v1/interventions/${id}/enrolments?status=open&pageSize=50`, h)
          ).json();
        if (chosen === 'register') {
          const res = await api.call(
            'POST',
            `/api/v1/interventions/${id}/enrolments`,
            h,
            enrolmentBody(p, id),
          );
          mine.push(((await res.json()) as { id: string }).id);
          return;
        }
        if (chosen === 'exit') {
          const enrolmentId = mine.shift()!;
          return api.call('POST', `/api/v1/enrolments/${enrolmentId}/exit`, h, {
            exitedOn: TODAY,
            exitReason: pick(['work', 'studies', 'other']),
          });
        }
        // Coordinators get no reports (those are for evaluators and the board): their figures are the
        // year's goals and the numbers of open and exited enrolments.
        return Promise.all([
          api.call('GET', `/api/v1/interventions/${id}/goals/${YEAR}`, h).then((r) => r.json()),
          api
            .call('GET', `/api/v1/interventions/${id}/enrolments?status=open&pageSize=1`, h)
            .then((r) => r.json()),
          api
            .call('GET', `/api/v1/interventions/${id}/enrolments?status=exited&pageSize=1`, h)
            .then((r) => r.json()),
        ]);
      };
      op = `coordinator ${op}`;
    } else if (user.role === 'evaluator') {
      const a = user.associationId;
      op = weighted({ association: 30, chosenSet: 25, insats: 25, xlsx: 12, xlsxJob: 8 });
      const chosen = op;
      work = async () => {
        if (chosen === 'association')
          return (await api.call('GET', `/api/v1/reports/associations/${a}?period=${YEAR}`, h)).json();
        if (chosen === 'chosenSet') {
          const set = siblings.slice(0, 3).join(',');
          return (
            await api.call('GET', `/api/v1/reports/associations/${a}?period=${YEAR}&interventions=${set}`, h)
          ).json();
        }
        if (chosen === 'insats')
          return (
            await api.call('GET', `/api/v1/reports/interventions/${pick(siblings)}?period=${QUARTER}`, h)
          ).json();
        if (chosen === 'xlsx')
          return (
            await api.call('GET', `/api/v1/reports/associations/${a}/export?period=${YEAR}&format=xlsx`, h)
          ).bytes();
        const { id } = (await (
          await api.call('POST', '/api/v1/reports/exports', h, {
            target: { type: 'association', id: a },
            period: YEAR,
            format: 'xlsx',
          })
        ).json()) as { id: string };
        for (;;) {
          const s = (await (await api.call('GET', `/api/v1/reports/exports/${id}`, h)).json()) as {
            status: string;
          };
          if (s.status === 'done')
            return (await api.call('GET', `/api/v1/reports/exports/${id}/file`, h)).bytes();
          if (s.status === 'failed') throw new Error('export job failed');
          await sleep(100);
        }
      };
      op = `evaluator ${op}`;
    } else {
      op = weighted({ association: 50, insats: 50 });
      const chosen = op;
      work = async () =>
        chosen === 'association'
          ? (
              await api.call('GET', `/api/v1/reports/associations/${user.associationId}?period=${YEAR}`, h)
            ).json()
          : (
              await api.call('GET', `/api/v1/reports/interventions/${pick(siblings)}?period=${YEAR}`, h)
            ).json();
      op = `board masked ${op}`;
    }
    const t0 = performance.now();
    try {
      await work();
      stats.record(op, performance.now() - t0);
    } catch (error) {
      stats.record(op, performance.now() - t0, error instanceof Error ? error.message : String(error));
    }
    if (thinkMs > 0) await sleep(-Math.log(1 - Math.random()) * thinkMs);
  }
}

/** Writes an enrolment, then polls the insats' report until it is fresh and counts it: write → fresh. */
async function probe(
  api: Api,
  p: Plan,
  admin: Record<string, string>,
  interventionId: string,
  until: number,
) {
  const latencies: number[] = [];
  let errors = 0;
  const url = `/api/v1/reports/interventions/${interventionId}?period=${QUARTER}`;
  while (Date.now() < until) {
    try {
      const before = ((await (await api.call('GET', url, admin)).json()) as { new: { total: number } }).new
        .total;
      const t0 = performance.now();
      await api.call(
        'POST',
        `/api/v1/interventions/${interventionId}/enrolments`,
        admin,
        enrolmentBody(p, interventionId),
      );
      for (;;) {
        const body = (await (await api.call('GET', url, admin)).json()) as {
          fresh: boolean;
          new: { total: number };
        };
        if (body.fresh && body.new.total >= before + 1) break;
        if (performance.now() - t0 > 120_000) throw new Error('not fresh within 120 s');
        await sleep(50);
      }
      latencies.push(performance.now() - t0);
    } catch {
      errors += 1;
    }
    await sleep(250);
  }
  return { latencies, errors };
}

/** Recompute rounds recorded so far (each round records its run). */
async function recomputeRounds(db: Client): Promise<number> {
  return (await db.query(`SELECT count(*)::int AS n FROM aggregation_run WHERE kind = 'recompute'`)).rows[0]
    .n;
}

async function pendingMarks(db: Client): Promise<number> {
  return (await db.query(`SELECT count(*)::int AS n FROM aggregation_dirty`)).rows[0].n;
}

runBenchmark(async (system) => {
  console.log(`bench:load on ${machine()}, ${TODAY}`);
  console.log(
    `scale: ${SCALE.enrolments} enrolments, ${SCALE.associations} associations, ${SCALE.associations * SCALE.interventionsPerAssociation} insatser; levels ${LEVELS.join('/')} users, ${DURATION_MS / 1000} s each, think time ${THINK_MS.join(' and ')} ms`,
  );
  const { db, worker, api: apiProcess, queue, events, base } = system;
  const p = plan(SCALE);
  const loadMs = await load(db.url, SCALE, p);
  const rebuildStarted = Date.now();
  const job = await queue.add(JobName.RebuildAll, {}, { jobId: REBUILD_ALL_JOB_ID });
  await events.waitUntilReady();
  await job.waitUntilFinished(events, 30 * 60_000);
  console.log(`load (COPY) ${seconds(loadMs)} s, rebuild ${seconds(Date.now() - rebuildStarted)} s`);

  const admin = await system.adminHeaders();
  const setupStats = new Stats();
  const api = new Api(base, setupStats);
  const login = async (email: string) => {
    const res = await api.call(
      'POST',
      '/api/v1/auth/login',
      { 'content-type': 'application/json' },
      { email, password: PASSWORD },
    );
    return {
      authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`,
      'content-type': 'application/json',
    };
  };
  const makeUser = async (role: Role, grants: Record<string, string[]>) => {
    const email = `${role}-${randomUUID().slice(0, 8)}@bench.se`;
    await api.call('POST', '/api/v1/users', admin, { email, password: PASSWORD, role, ...grants });
    return login(email);
  };
  // The last two insatser are the probes'; coordinators get the others, one each.
  const probeInterventions = p.interventions.slice(-2).map((i) => i.id);
  const maxUsers = Math.max(...LEVELS);
  const users: User[] = [];
  for (let n = 0; n < maxUsers; n++) {
    const share = n / maxUsers;
    const role: Role = share < 0.5 ? 'coordinator' : share < 0.85 ? 'evaluator' : 'board';
    if (role === 'coordinator') {
      const i = p.interventions[n % (p.interventions.length - 2)];
      users.push({
        role,
        associationId: i.associationId,
        interventionId: i.id,
        headers: await makeUser(role, { interventionIds: [i.id] }),
      });
    } else {
      const a = p.associations[n % p.associations.length].id;
      users.push({ role, associationId: a, headers: await makeUser(role, { associationIds: [a] }) });
    }
  }
  // Every level has the same mix of roles: 50 % coordinators, 35 % evaluators, 15 % board members.
  const byLevel = (n: number) => {
    const want = { coordinator: Math.round(n * 0.5), evaluator: Math.round(n * 0.35), board: 0 };
    want.board = n - want.coordinator - want.evaluator;
    return (['coordinator', 'evaluator', 'board'] as Role[]).flatMap((r) =>
      users.filter((u) => u.role === r).slice(0, want[r]),
    );
  };

  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    for (const thinkMs of THINK_MS) {
      for (const level of LEVELS) {
        const stats = new Stats();
        const runApi = new Api(base, stats);
        const cpuBefore = cpuNow(apiProcess.pid!, worker.pid!);
        const roundsBefore = await recomputeRounds(client);
        const started = Date.now();
        const until = started + DURATION_MS;
        let maxBacklog = 0;
        // The level's own peak memory (the peak so far also holds the setup: users, logins, the rebuild).
        const levelRss = { api: 0, worker: 0 };
        // A backend the pool closes during the level (idle timeout) takes its CPU time with it: its last reading,
        // once a second (reading every process's name in /proc costs the generator about 2 % of a core at 4 a second).
        const postgresSeen = new Map(cpuBefore.postgres);
        const backendSampler = setInterval(() => {
          for (const [pid, seconds] of cpuSecondsOf('postgres')) postgresSeen.set(pid, seconds);
        }, 1000);
        const sampler = setInterval(() => {
          pendingMarks(client).then(
            (n) => (maxBacklog = Math.max(maxBacklog, n)),
            () => undefined,
          );
          levelRss.api = Math.max(levelRss.api, rssMiB(apiProcess.pid!));
          levelRss.worker = Math.max(levelRss.worker, rssMiB(worker.pid!));
        }, 250);
        const probes = ONLY
          ? []
          : probeInterventions.map((id) => probe(new Api(base, new Stats()), p, admin, id, until));
        await Promise.all(byLevel(level).map((u) => virtualUser(runApi, stats, p, u, thinkMs, until)));
        const probeResults = await Promise.all(probes);
        clearInterval(sampler);
        clearInterval(backendSampler);
        const elapsed = (Date.now() - started) / 1000;
        const cpuAfter = cpuNow(apiProcess.pid!, worker.pid!);
        for (const [pid, seconds] of cpuAfter.postgres) postgresSeen.set(pid, seconds);
        cpuAfter.postgres = postgresSeen;
        const rounds = (await recomputeRounds(client)) - roundsBefore;
        const backlog = await pendingMarks(client);
        const drainStarted = Date.now();
        while ((await pendingMarks(client)) > 0 && Date.now() - drainStarted < 300_000) await sleep(50);
        const drainMs = Date.now() - drainStarted;
        const fresh = probeResults.flatMap((r) => r.latencies);
        const opsTotal = [...stats.ops.values()].reduce((n, s) => n + s.times.length + s.errors, 0);
        const errorsTotal = [...stats.ops.values()].reduce((n, s) => n + s.errors, 0);
        console.log(`\n${level} users, think time ${thinkMs} ms, ${elapsed.toFixed(0)} s`);
        console.log(
          `  ${'operation'.padEnd(28)} ${'count'.padStart(6)} ${'errors'.padStart(6)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)}  (ms)`,
        );
        for (const [op, s] of [...stats.ops.entries()].sort()) {
          const q = (n: number) => (s.times.length ? percentile(s.times, n).toFixed(0) : '-').padStart(7);
          console.log(
            `  ${op.padEnd(28)} ${String(s.times.length + s.errors).padStart(6)} ${String(s.errors).padStart(6)} ${q(50)} ${q(95)} ${q(99)}${s.lastError ? `  last error: ${s.lastError.slice(0, 120)}` : ''}`,
          );
        }
        console.log(
          `  requests/s ${(stats.requests / elapsed).toFixed(0)} (operations/s ${(opsTotal / elapsed).toFixed(0)}), errors ${errorsTotal}`,
        );
        console.log(
          `  write → fresh (${fresh.length} probes${probeResults.some((r) => r.errors) ? `, ${probeResults.reduce((n, r) => n + r.errors, 0)} failed` : ''}): ` +
            (fresh.length
              ? `p50 ${percentile(fresh, 50).toFixed(0)} ms, p95 ${percentile(fresh, 95).toFixed(0)} ms`
              : 'none'),
        );
        console.log(
          `  backlog (dirty marks): max ${maxBacklog} during, ${backlog} at the end, drained in ${drainMs} ms; ` +
            `recompute rounds ${rounds} (${(rounds / elapsed).toFixed(1)}/s)`,
        );
        console.log(
          `  RSS during the level (sampled every 250 ms): API ${levelRss.api.toFixed(0)} MiB, worker ${levelRss.worker.toFixed(0)} MiB; ` +
            `peak so far (VmHWM): API ${peakRssMiB(apiProcess.pid!).toFixed(0)} MiB, worker ${peakRssMiB(worker.pid!).toFixed(0)} MiB`,
        );
        const used = cpuUsed(cpuBefore, cpuAfter);
        const share = (k: keyof typeof used) => `${((100 * used[k]) / elapsed).toFixed(0)} %`;
        console.log(
          `  CPU (% of one core): API ${share('api')}, worker ${share('worker')}, PostgreSQL ${share('postgres')}, load generator ${share('generator')}`,
        );
        // Per request, CPU time depends less on how busy the machine's host is than requests/s does.
        const perRequest = (k: keyof typeof used) => `${((1000 * used[k]) / stats.requests).toFixed(2)} ms`;
        console.log(
          `  CPU per request: API ${perRequest('api')}, worker ${perRequest('worker')}, PostgreSQL ${perRequest('postgres')}, load generator ${perRequest('generator')}`,
        );
      }
    }
  } finally {
    await client.end();
  }
});
