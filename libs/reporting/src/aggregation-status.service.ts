import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { withTimeout } from '@app/http/timeout';
import { JobEnqueuer } from '@app/queue/enqueue';
import { JobName, QueueName, REBUILD_ALL_JOB_ID } from '@app/queue/queues';
import { ReportRepository } from './report.repository';

const QUEUE_TIMEOUT_MS = 1000;

@Injectable()
export class AggregationStatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportRepository,
    @InjectQueue(QueueName.Aggregation) private readonly queue: Queue,
    private readonly enqueuer: JobEnqueuer,
  ) {}

  /** Only the caller's scope: pending marks and runs of the interventions it may see (admins: all). */
  async status(caller: AccessScope) {
    const m = this.dataSource.manager;
    const [row, failures, counts] = await Promise.all([
      this.reports.status(m, caller),
      this.reports.lastRebuildFailures(m, caller.allAssociations ? null : caller.associationIds),
      // The queue holds every association's work: its counts are for those who see all of them.
      // Redis may be away: the status still answers from the database.
      caller.allAssociations
        ? withTimeout(
            this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
            QUEUE_TIMEOUT_MS,
          ).catch(() => null)
        : null,
    ]);
    return {
      pending: row.pending,
      oldestPendingSince: row.oldest?.toISOString() ?? null,
      lastCompletedAt: row.last_completed?.toISOString() ?? null,
      lastRebuildAt: row.last_rebuild?.toISOString() ?? null,
      // Associations the last rebuild skipped because they could not be built (the others were rebuilt).
      lastRebuildFailures: failures,
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
