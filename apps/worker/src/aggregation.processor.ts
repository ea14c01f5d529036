import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AggregationOutbox } from '@app/aggregation/aggregation-outbox';
import { JobHandlerRegistry } from '@app/aggregation/job-handler';
import { loggableError } from '@app/http/error-log';
import { JobName, QueueName, type RecomputeAssociationData } from '@app/queue/queues';

/**
 * The worker of the aggregation queue. Thin: each job goes to its one handler. Locks are renewed while a
 * job runs; a worker that dies mid-job loses its lock and the job is retried by another (stalled check).
 */
// Decorator options are read when this file loads (before Nest's config exists); the same variables are
// validated by the environment schema (config/environment.ts) as the worker boots, which stops on a bad value.
@Processor(QueueName.Aggregation, {
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 2),
  lockDuration: Number(process.env.WORKER_LOCK_MS ?? 30_000),
  stalledInterval: Number(process.env.WORKER_LOCK_MS ?? 30_000),
})
export class AggregationProcessor extends WorkerHost {
  private readonly logger = new Logger(AggregationProcessor.name);
  constructor(
    @Inject(JobHandlerRegistry) private readonly handlers: JobHandlerRegistry,
    private readonly outbox: AggregationOutbox,
  ) {
    super();
  }

  /**
   * A recompute's id is free again once it is done: marks made at its very end get their job now, or when the
   * association's next round is due (RECOMPUTE_SPACING_MS). Until then the delayed job holds the id, so every
   * write's trigger meanwhile is the same job.
   */
  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    if (job.name !== JobName.RecomputeAssociation) return;
    const { associationId } = job.data as RecomputeAssociationData;
    const next = (job.returnvalue as { nextRoundInMs?: number } | undefined)?.nextRoundInMs ?? 0;
    this.outbox
      .requeueIfDirty(associationId, next)
      .catch((error: Error) =>
        this.logger.warn(`Recompute not re-enqueued (the sweep will): ${error.message}`),
      );
  }

  /** Connection trouble (Redis away) is reported here instead of on the console; the worker reconnects. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`Queue connection: ${error.message}`);
  }

  async process(job: Job): Promise<unknown> {
    try {
      return await this.handlers.handle(job);
    } catch (error) {
      this.logger.error(
        { err: loggableError(error), job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 },
        'Job failed',
      );
      throw error;
    }
  }
}
