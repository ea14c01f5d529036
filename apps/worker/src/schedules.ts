import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { JobName, QueueName, SCHEDULER_IDS } from '@app/queue/queues';
import { REDIS } from '@app/queue/redis.module';
import { AppConfig } from '@config/config.module';

/**
 * The recurring jobs of every queue. Fixed scheduler ids: every worker replica upserts the same ones, never
 * duplicates.
 * They live in Redis, so they are upserted again whenever the connection comes back: a Redis that
 * returns empty (no persistence, a failover) still gets its sweep, and the sweep recovers every lost trigger.
 */
@Injectable()
export class Schedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Schedules.name);
  private readonly onReady = () =>
    void this.upsert().catch((e: Error) => this.logger.warn(`Schedules not set: ${e.message}`));

  constructor(
    @InjectQueue(QueueName.Aggregation) private readonly queue: Queue,
    @InjectQueue(QueueName.Exports) private readonly exportsQueue: Queue,
    @InjectQueue(QueueName.Imports) private readonly importsQueue: Queue,
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
      SCHEDULER_IDS.sweep,
      { every: this.config.env.SWEEP_EVERY_MS },
      { name: JobName.SweepDirty },
    );
    await this.queue.upsertJobScheduler(
      SCHEDULER_IDS.nightlyRebuild,
      { pattern: '0 3 * * *', tz: 'Europe/Stockholm' },
      { name: JobName.RebuildAll },
    );
    await this.exportsQueue.upsertJobScheduler(
      SCHEDULER_IDS.sweepExports,
      { every: this.config.env.SWEEP_EVERY_MS },
      { name: JobName.SweepExports },
    );
    await this.importsQueue.upsertJobScheduler(
      SCHEDULER_IDS.sweepImports,
      { every: this.config.env.SWEEP_EVERY_MS },
      { name: JobName.SweepImports },
    );
    // 02:30, before the 03:00 rebuild: whatever a purge froze is then left alone by the rebuild.
    await this.importsQueue.upsertJobScheduler(
      SCHEDULER_IDS.nightlyRetention,
      { pattern: '30 2 * * *', tz: 'Europe/Stockholm' },
      { name: JobName.PurgeExpired },
    );
  }
}
