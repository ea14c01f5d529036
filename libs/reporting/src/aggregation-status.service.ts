import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/auth/access-scope';
import { withTimeout } from '@app/http/timeout';
import { JobEnqueuer } from '@app/queue/enqueue';
import { JobName, QueueName, REBUILD_ALL_JOB_ID } from '@app/queue/queues';
import { RegistryRepository } from '@app/registry/registry.repository';
import { ReportRepository } from './report.repository';

const QUEUE_TIMEOUT_MS = 1000;

@Injectable()
export class AggregationStatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportRepository,
    private readonly registry: RegistryRepository,
    @InjectQueue(QueueName.Aggregation) private readonly queue: Queue,
    private readonly enqueuer: JobEnqueuer,
  ) {}

  async status(caller: AccessScope) {
    const m = this.dataSource.manager;
    const interventionIds = caller.allAssociations
      ? null
      : (await this.registry.listInterventions(m, caller)).map((i) => i.id);
    const [row, counts] = await Promise.all([
      this.reports.status(m, interventionIds),
      // Redis may be away: the status still answers from the database.
      withTimeout(this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), QUEUE_TIMEOUT_MS).catch(
        () => null,
      ),
    ]);
    return {
      pending: row.pending,
      oldestPendingSince: row.oldest?.toISOString() ?? null,
      lastCompletedAt: row.last_completed?.toISOString() ?? null,
      lastRebuildAt: row.last_rebuild?.toISOString() ?? null,
      queue: counts ?? null,
    };
  }

  /** 503 within a second when Redis is away (nothing is written, so nothing is left half-made). */
  async requestRebuild(): Promise<{ jobId: string }> {
    await this.enqueuer.enqueue(QueueName.Aggregation, {
      name: JobName.RebuildAll,
      data: {},
      opts: { jobId: REBUILD_ALL_JOB_ID },
    });
    return { jobId: REBUILD_ALL_JOB_ID };
  }
}
