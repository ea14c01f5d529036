import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JobName, QueueName, SCHEDULER_IDS } from '@app/queue/queues';

/** The recurring jobs. Fixed scheduler ids: every worker replica upserts the same two, never duplicates. */
@Injectable()
export class Schedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(QueueName.Aggregation) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULER_IDS.sweep,
      { every: Number(process.env.SWEEP_EVERY_MS ?? 15_000) },
      { name: JobName.SweepDirty },
    );
    await this.queue.upsertJobScheduler(
      SCHEDULER_IDS.nightlyRebuild,
      { pattern: '0 3 * * *', tz: 'Europe/Stockholm' },
      { name: JobName.RebuildAll },
    );
  }
}
