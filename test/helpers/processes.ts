import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Compiles the app as `npm run build` does, into a temporary folder; the worker then runs as a real process. */
export function buildApp(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'uppfoljning-build-'));
  const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', dir], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', dir], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function spawnWorker(buildDir: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(buildDir, 'apps/worker/src/main.js')], {
    cwd: ROOT,
    // The build lives outside the repository: resolve packages from the repository's node_modules.
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A Redis of this test's own on a free port, so stopping it disturbs nothing else. */
export function startRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
}
