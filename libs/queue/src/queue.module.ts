import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '@config/config.module';
import { DEFAULT_JOB_OPTIONS, QueueName } from './queues';
import { REDIS, RedisModule } from './redis.module';

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
  ],
  exports: [BullModule, RedisModule],
})
export class QueueModule {}
