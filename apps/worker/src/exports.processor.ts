import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandlerRegistry } from '@app/aggregation/job-handler';
import { loggableError } from '@app/http/error-log';
import { QueueName } from '@app/queue/queues';

/**
 * The worker of the exports queue: long jobs (a region's export) run here, one at a time per worker, so they
 * never hold a slot a recompute needs. The same handler registry as the aggregation queue.
 */
@Processor(QueueName.Exports, {
  concurrency: 1,
  lockDuration: Number(process.env.WORKER_LOCK_MS ?? 30_000),
  stalledInterval: Number(process.env.WORKER_LOCK_MS ?? 30_000),
})
export class ExportsProcessor extends WorkerHost {
  private readonly logger = new Logger(ExportsProcessor.name);
  constructor(@Inject(JobHandlerRegistry) private readonly handlers: JobHandlerRegistry) {
    super();
  }

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
