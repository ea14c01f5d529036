import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { JobHandler } from '@app/aggregation/job-handler';
import {
  JobName,
  QueueName,
  SURVEY_SWEEP_SCHEDULER_ID,
  surveyRecomputeJobId,
  type RecomputeSurveyYearData,
} from '@app/queue/queues';
import { REDIS } from '@app/queue/redis.module';
import { AppConfig } from '@config/config.module';
import { SurveyRecomputeService } from './survey-recompute.service';
import { SurveyRepository } from './survey.repository';

const SWEEP_BATCH = 1000;

@Injectable()
export class RecomputeSurveyYearJob implements JobHandler {
  readonly name = JobName.RecomputeSurveyYear;
  constructor(private readonly recompute: SurveyRecomputeService) {}

  handle(job: Job<RecomputeSurveyYearData>) {
    return this.recompute.recompute(job.data.associationId, job.data.year);
  }
}

/** Re-enqueues survey marks whose trigger was lost (Redis down at write time, a crashed worker). */
@Injectable()
export class SweepSurveyDirtyJob implements JobHandler {
  readonly name = JobName.SweepSurveyDirty;
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SurveyRepository,
    @InjectQueue(QueueName.Aggregation) private readonly queue: Queue,
  ) {}

  async handle(): Promise<{ enqueued: number }> {
    const marks = await this.repository.oldestDirty(this.dataSource.manager, SWEEP_BATCH);
    await this.queue.addBulk(
      marks.map(({ associationId, year }) => ({
        name: JobName.RecomputeSurveyYear,
        data: { associationId, year } satisfies RecomputeSurveyYearData,
        opts: { jobId: surveyRecomputeJobId(associationId, year) },
      })),
    );
    return { enqueued: marks.length };
  }
}

/** The survey sweep's schedule: one fixed scheduler id, upserted again whenever Redis comes back. */
@Injectable()
export class SurveySchedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SurveySchedules.name);
  private readonly onReady = () =>
    void this.upsert().catch((e: Error) => this.logger.warn(`Survey schedule not set: ${e.message}`));

  constructor(
    @InjectQueue(QueueName.Aggregation) private readonly queue: Queue,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.upsert();
    this.redis.on('ready', this.onReady);
  }

  onApplicationShutdown(): void {
    this.redis.off('ready', this.onReady);
  }

  private async upsert(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SURVEY_SWEEP_SCHEDULER_ID,
      { every: this.config.env.SWEEP_EVERY_MS },
      { name: JobName.SweepSurveyDirty },
    );
  }
}
