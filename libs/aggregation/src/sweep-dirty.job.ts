import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobName, QueueName, recomputeAssociationJobId } from '@app/queue/queues';
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
    const associations = await this.repository.dirtyAssociations(this.dataSource.manager, BATCH);
    await this.queue.addBulk(
      associations.map((associationId) => ({
        name: JobName.RecomputeAssociation,
        data: { associationId },
        opts: { jobId: recomputeAssociationJobId(associationId) },
      })),
    );
    return { enqueued: associations.length };
  }
}
