import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { JobName, QueueName, SCHEDULER_IDS } from '@app/queue/queues';
import { REDIS } from '@app/queue/redis.module';
import { AppConfig } from '@config/config.module';

/**
 * The recurring jobs. Fixed scheduler ids: every worker replica upserts the same two, never duplicates.
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
  }
}
