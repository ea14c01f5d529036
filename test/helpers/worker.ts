import type { INestApplicationContext } from '@nestjs/common';
import { startWorker } from '../../apps/worker/src/worker';

/** The real worker (BullMQ processors) in this test process, on this run's database and Redis prefix. */
export async function createTestWorker(): Promise<INestApplicationContext> {
  process.env.SWEEP_EVERY_MS ??= '1000';
  return startWorker();
}

export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify((last as { body?: unknown })?.body ?? last).slice(0, 800)}`,
      );
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}
