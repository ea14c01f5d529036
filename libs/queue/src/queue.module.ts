import { BullModule } from '@nestjs/bullmq';
import { InjectQueue } from '@nestjs/bullmq';
import { Global, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { AppConfig } from '@config/config.module';
import { JobEnqueuer } from './enqueue';
import { DEFAULT_JOB_OPTIONS, QueueName } from './queues';
import { REDIS, RedisModule } from './redis.module';

/** Reports queue connection trouble through the logger (Redis away); the connection retries by itself. */
@Injectable()
class QueueErrorLogger implements OnModuleInit {
  private readonly logger = new Logger('Queue');
  constructor(
    @InjectQueue(QueueName.Aggregation) private readonly queue: Queue,
    @InjectQueue(QueueName.Exports) private readonly exportsQueue: Queue,
    @InjectQueue(QueueName.Imports) private readonly importsQueue: Queue,
  ) {}
  onModuleInit(): void {
    for (const queue of [this.queue, this.exportsQueue, this.importsQueue])
      queue.on('error', (error: Error) => this.logger.warn(`Queue connection: ${error.message}`));
  }
}

/** BullMQ on the one shared Redis connection, with this installation's key prefix. */
@Global()
@Module({
  imports: [
    RedisModule,
    BullModule.forRootAsync({
      inject: [REDIS, AppConfig],
      useFactory: (redis: Redis, config: AppConfig) => ({
        connection: redis,
        prefix: config.env.REDIS_PREFIX,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue({ name: QueueName.Aggregation }),
    BullModule.registerQueue({ name: QueueName.Exports }),
    BullModule.registerQueue({ name: QueueName.Imports }),
  ],
  providers: [QueueErrorLogger, JobEnqueuer],
  exports: [BullModule, RedisModule, JobEnqueuer],
})
export class QueueModule {}
