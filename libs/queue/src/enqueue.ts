import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import type Redis from 'ioredis';
import { withTimeout } from '@app/http/timeout';
import { JobName, QueueName } from './queues';
import { REDIS } from './redis.module';

/** How long a request waits for Redis to take a job before it answers without it. */
export const ENQUEUE_TIMEOUT_MS = 1000;

/** Redis did not take the job: it is away or did not answer in time. Rendered as 503 if not caught. */
export class QueueUnavailableError extends ServiceUnavailableException {
  constructor(readonly reason: string) {
    super('The job queue is not available right now; try again in a moment');
  }
}

export interface JobRequest {
  name: JobName;
  data: object;
  /** A deterministic jobId deduplicates: the same work asked for twice is queued once. */
  opts: JobsOptions & { jobId: string };
}

/**
 * The one way to enqueue. Redis is only a trigger here, never a place a request waits: when the connection is
 * not ready the call fails at once (nothing is left in ioredis' offline queue to surface later), and a Redis
 * that does not answer within ENQUEUE_TIMEOUT_MS fails it too. Callers either answer 503 having written
 * nothing, or have written a row that a sweep re-enqueues once Redis is back (see `enqueueOrLeaveToSweep`).
 */
@Injectable()
export class JobEnqueuer {
  private readonly logger = new Logger(JobEnqueuer.name);
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @InjectQueue(QueueName.Aggregation) aggregation: Queue,
    @InjectQueue(QueueName.Exports) exportsQueue: Queue,
    @InjectQueue(QueueName.Imports) importsQueue: Queue,
  ) {
    this.queues = {
      [QueueName.Aggregation]: aggregation,
      [QueueName.Exports]: exportsQueue,
      [QueueName.Imports]: importsQueue,
    };
  }

  /**
   * Throws QueueUnavailableError while Redis is known to be away. For a request that would write a row only
   * to hand it on: it answers 503 before writing anything rather than leave the row waiting for the sweep.
   */
  assertAvailable(): void {
    if (this.redis.status !== 'ready') throw new QueueUnavailableError(`Redis is ${this.redis.status}`);
  }

  /** Adds the jobs or throws QueueUnavailableError (a 503 for the caller). */
  async enqueue(queue: QueueName, ...jobs: JobRequest[]): Promise<void> {
    if (jobs.length === 0) return;
    this.assertAvailable();
    const q = this.queues[queue];
    try {
      await withTimeout<unknown>(
        jobs.length === 1 ? q.add(jobs[0].name, jobs[0].data, jobs[0].opts) : q.addBulk(jobs),
        ENQUEUE_TIMEOUT_MS,
        'no answer from Redis',
      );
    } catch (error) {
      throw new QueueUnavailableError((error as Error).message);
    }
  }

  /**
   * For work already recorded in the database (an outbox mark, a queued export row): tries to enqueue and,
   * when Redis is away, leaves it to the sweep. Returns whether the job was enqueued now.
   */
  async enqueueOrLeaveToSweep(queue: QueueName, ...jobs: JobRequest[]): Promise<boolean> {
    try {
      await this.enqueue(queue, ...jobs);
      return true;
    } catch (error) {
      if (!(error instanceof QueueUnavailableError)) throw error;
      this.logger.warn(`Not enqueued now, the sweep will pick it up: ${error.reason}`);
      return false;
    }
  }
}
