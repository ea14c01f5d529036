// Shared by the benchmark scripts: a database of their own, the built app as real processes, peak memory.
import { Queue, QueueEvents } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../libs/database/src/data-source.options';
import { runMigrationsLocked } from '../libs/database/src/migrator';
import { syncMunicipalities } from '../libs/database/src/reference-data';
import { QueueName } from '../libs/queue/src/queues';

export const ROOT = path.resolve(__dirname, '../..');
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `uppfoljning_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dataSource = await new DataSource(dataSourceOptions(url.toString())).initialize();
  await runMigrationsLocked(dataSource);
  await syncMunicipalities(dataSource.manager);
  await dataSource.destroy();
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Node flags of the worker in production (`npm run start:worker`, docker-compose.yml). */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=256'];
/** Node flags of the API in production (`npm run start:api`, docker-compose.yml, Dockerfile). */
export const API_NODE_FLAGS = ['--max-old-space-size=192'];
/** Environment both processes get in production (npm scripts, Dockerfile): two glibc malloc arenas. */
const PRODUCTION_ENV = { MALLOC_ARENA_MAX: '2' };

/** Runs a built entrypoint (dist/...) as its own process. */
export function runBuilt(
  entry: string,
  args: string[],
  env: Record<string, string>,
  nodeFlags: string[] = [],
): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, path.join(ROOT, 'dist', entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...PRODUCTION_ENV, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', process.env.BENCH_WORKER_LOG_LEVEL ? 'inherit' : 'ignore', 'inherit'],
  });
}

/** Peak resident memory of a live process in MiB (VmHWM), read from /proc. */
export function peakRssMiB(pid: number): number {
  return statusMiB(pid, 'VmHWM');
}

/** Resident memory of a live process now, in MiB (VmRSS). */
export function rssMiB(pid: number): number {
  return statusMiB(pid, 'VmRSS');
}

function statusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0; // the process has ended
  }
}

/** CPU seconds used so far by each living process of this name (e.g. every PostgreSQL backend), by pid. */
export function cpuSecondsOf(name: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name)
        byPid.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      // gone between the listing and the read
    }
  }
  return byPid;
}

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux this runs on

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const seconds = (ms: number) => (ms / 1000).toFixed(2);

export interface BenchSystem {
  db: BenchDatabase;
  /** Base URL of the API process. */
  base: string;
  worker: ChildProcess;
  api: ChildProcess;
  queue: Queue;
  events: QueueEvents;
  /** Logs in as the bootstrap admin once the API answers; returns request headers. */
  adminHeaders(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/** A database of its own, and the built API and worker as production runs them, on a Redis prefix of its own. */
export async function startBenchSystem(): Promise<BenchSystem> {
  const db = await createBenchDatabase();
  const prefix = `uppfoljning-bench-${randomUUID().slice(0, 8)}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const env = {
    DATABASE_URL: db.url,
    REDIS_PREFIX: prefix,
    REDIS_URL: redisUrl,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret!',
  };
  const admin = { email: 'bench@bench.se', password: 'bench-password-123' };
  const worker = runBuilt(
    'apps/worker/src/main.js',
    [],
    { ...env, LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? 'warn' },
    // BENCH_WORKER_NODE_FLAGS adds flags for a look inside, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    [...WORKER_NODE_FLAGS, ...(process.env.BENCH_WORKER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])],
  );
  const port = 30000 + Math.floor(Math.random() * 20000);
  const api = runBuilt(
    'apps/api/src/main.js',
    [],
    {
      ...env,
      PORT: String(port),
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
    },
    // BENCH_API_NODE_FLAGS adds flags for a look inside, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    [...API_NODE_FLAGS, ...(process.env.BENCH_API_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])],
  );
  const connection = { url: redisUrl } as never;
  const queue = new Queue(QueueName.Aggregation, { connection, prefix });
  const events = new QueueEvents(QueueName.Aggregation, { connection, prefix });
  const base = `http://127.0.0.1:${port}`;
  return {
    db,
    base,
    worker,
    api,
    queue,
    events,
    adminHeaders: async () => {
      const token = await waitFor(
        async () => {
          const res = await fetch(`${base}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(admin),
          });
          return res.ok ? ((await res.json()) as { accessToken: string }).accessToken : undefined;
        },
        60_000,
        'the API',
      );
      return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    },
    stop: async () => {
      await events.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      worker.kill('SIGTERM');
      api.kill('SIGTERM');
      await Promise.all([once(worker, 'exit'), once(api, 'exit')]);
      await db.drop();
    },
  };
}

/** Runs a benchmark against a fresh system and always tears it down; a failure sets a non-zero exit code. */
export function runBenchmark(body: (system: BenchSystem) => Promise<void>): void {
  const run = async () => {
    const system = await startBenchSystem();
    try {
      await body(system);
    } catch (error) {
      console.error('benchmark failed:', error);
      process.exitCode = 1;
    } finally {
      await system.stop();
    }
  };
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
