import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { IMPORT_SCHEDULER_IDS, JobName, QueueName } from '@app/queue/queues';
import { REDIS } from '@app/queue/redis.module';
import { AppConfig } from '@config/config.module';

/**
 * The recurring jobs of the imports queue (as Schedules does for the aggregation queue): the sweep that
 * re-enqueues imports whose job was lost, and the nightly retention. Fixed ids, upserted again on reconnect.
 */
@Injectable()
export class ImportsSchedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportsSchedules.name);
  private readonly onReady = () =>
    void this.upsert().catch((e: Error) => this.logger.warn(`Schedules not set: ${e.message}`));

  constructor(
    @InjectQueue(QueueName.Imports) private readonly queue: Queue,
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
      IMPORT_SCHEDULER_IDS.sweep,
      { every: this.config.env.SWEEP_EVERY_MS },
      { name: JobName.SweepImports },
    );
    // 02:30, before the 03:00 rebuild: whatever a purge froze is then left alone by the rebuild.
    await this.queue.upsertJobScheduler(
      IMPORT_SCHEDULER_IDS.retention,
      { pattern: '30 2 * * *', tz: 'Europe/Stockholm' },
      { name: JobName.PurgeExpired },
    );
  }
}
