import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { withTimeout } from '@app/http/timeout';
import { JobName, QueueName, recomputeJobId, type RecomputeInterventionYearData } from '@app/queue/queues';
import { AggregationRepository } from './aggregation.repository';

const ENQUEUE_TIMEOUT_MS = 1000;

/**
 * The write side of the aggregation. `mark` runs inside the writer's transaction (the outbox: the
 * write and its dirty mark commit together); `trigger` runs after commit and only speeds things up:
 * if Redis is away, the scheduled sweep finds the mark later, so nothing is lost and no request waits.
 */
@Injectable()
export class AggregationOutbox {
  private readonly logger = new Logger(AggregationOutbox.name);

  constructor(
    private readonly repository: AggregationRepository,
    @InjectQueue(QueueName.Aggregation) private readonly queue: Queue,
  ) {}

  mark(tx: EntityManager, interventionId: string, years: Iterable<number>): Promise<void> {
    return this.repository.markDirty(tx, interventionId, [...new Set(years)].sort());
  }

  trigger(interventionId: string, years: Iterable<number>): void {
    const jobs = [...new Set(years)].map((year) => ({
      name: JobName.RecomputeInterventionYear,
      data: { interventionId, year } satisfies RecomputeInterventionYearData,
      opts: { jobId: recomputeJobId(interventionId, year) },
    }));
    if (jobs.length === 0) return;
    withTimeout(this.queue.addBulk(jobs), ENQUEUE_TIMEOUT_MS, 'no answer from Redis').catch((error: Error) =>
      this.logger.warn(`Recompute not enqueued (the sweep will pick it up): ${error.message}`),
    );
  }
}
