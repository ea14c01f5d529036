import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobName, QueueName, recomputeJobId } from '@app/queue/queues';
import { AggregationRepository } from './aggregation.repository';
import type { JobHandler } from './job-handler';

const BATCH = 1000;

/** Re-enqueues dirty marks whose trigger was lost (Redis down at write time, a crashed worker). */
@Injectable()
export class SweepDirtyJob implements JobHandler {
  readonly name = JobName.SweepDirty;
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: AggregationRepository,
    @InjectQueue(QueueName.Aggregation) private readonly queue: Queue,
  ) {}

  async handle(): Promise<{ enqueued: number }> {
    const marks = await this.repository.oldestDirty(this.dataSource.manager, BATCH);
    await this.queue.addBulk(
      marks.map(({ interventionId, year }) => ({
        name: JobName.RecomputeInterventionYear,
        data: { interventionId, year },
        opts: { jobId: recomputeJobId(interventionId, year) },
      })),
    );
    return { enqueued: marks.length };
  }
}
