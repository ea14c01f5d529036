import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandlerRegistry } from '@app/aggregation/job-handler';
import { QueueName } from '@app/queue/queues';

/**
 * The worker of the imports queue: long jobs (validating and committing files, retention) on a queue of
 * their own, one at a time, so they never hold a recompute's slot. Each job goes to its one handler.
 */
@Processor(QueueName.Imports, { concurrency: 1, lockDuration: 60_000, stalledInterval: 60_000 })
export class ImportsProcessor extends WorkerHost {
  private readonly logger = new Logger(ImportsProcessor.name);
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
        { err: error, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 },
        'Job failed',
      );
      throw error;
    }
  }
}
