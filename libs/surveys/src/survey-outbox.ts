import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobEnqueuer } from '@app/queue/enqueue';
import { JobName, QueueName, surveyRecomputeJobId, type RecomputeSurveyYearData } from '@app/queue/queues';
import { SurveyRepository } from './survey.repository';

/**
 * The write side of survey results, the same outbox as the period results: `mark` inside the writer's
 * transaction, `trigger` after commit only to speed things up (the sweep finds a mark whose trigger was lost).
 */
@Injectable()
export class SurveyOutbox {
  private readonly logger = new Logger(SurveyOutbox.name);

  constructor(
    private readonly repository: SurveyRepository,
    private readonly enqueuer: JobEnqueuer,
  ) {}

  mark(tx: EntityManager, associationId: string, year: number): Promise<void> {
    return this.repository.markDirty(tx, associationId, year);
  }

  trigger(associationId: string, year: number): void {
    this.enqueuer
      .enqueue(QueueName.Aggregation, {
        name: JobName.RecomputeSurveyYear,
        data: { associationId, year } satisfies RecomputeSurveyYearData,
        opts: { jobId: surveyRecomputeJobId(associationId, year) },
      })
      .catch((error: Error) =>
        this.logger.warn(`Survey recompute not enqueued (the sweep will pick it up): ${error.message}`),
      );
  }
}
