import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { withTimeout } from '@app/http/timeout';
import { JobName, QueueName, surveyRecomputeJobId, type RecomputeSurveyYearData } from '@app/queue/queues';
import { SurveyRepository } from './survey.repository';

const ENQUEUE_TIMEOUT_MS = 1000;

/**
 * The write side of survey results, the same outbox as the period results: `mark` inside the writer's
 * transaction, `trigger` after commit only to speed things up (the sweep finds a mark whose trigger was lost).
 */
@Injectable()
export class SurveyOutbox {
  private readonly logger = new Logger(SurveyOutbox.name);

  constructor(
    private readonly repository: SurveyRepository,
    @InjectQueue(QueueName.Aggregation) private readonly queue: Queue,
  ) {}

  mark(tx: EntityManager, associationId: string, year: number): Promise<void> {
    return this.repository.markDirty(tx, associationId, year);
  }

  trigger(associationId: string, year: number): void {
    withTimeout(
      this.queue.add(JobName.RecomputeSurveyYear, { associationId, year } satisfies RecomputeSurveyYearData, {
        jobId: surveyRecomputeJobId(associationId, year),
      }),
      ENQUEUE_TIMEOUT_MS,
      'no answer from Redis',
    ).catch((error: Error) =>
      this.logger.warn(`Survey recompute not enqueued (the sweep will pick it up): ${error.message}`),
    );
  }
}
