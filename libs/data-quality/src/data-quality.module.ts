import { Module } from '@nestjs/common';
import { AggregationModule } from '@app/aggregation/aggregation.module';
import { RegistryModule } from '@app/registry/registry.module';
import {
  DataQualityController,
  NationalCountController,
  RetentionController,
} from './data-quality.controller';
import { DataQualityRepository } from './data-quality.repository';
import { DataQualityService } from './data-quality.service';
import { PurgeExpiredJob } from './purge-expired.job';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/** The API side: the national count, the data-quality checks and the retention setting. */
@Module({
  imports: [RegistryModule],
  controllers: [NationalCountController, DataQualityController, RetentionController],
  providers: [DataQualityRepository, DataQualityService, RetentionRepository],
  // The web pages (libs/web) read through the same service.
  exports: [DataQualityService, RetentionRepository],
})
export class DataQualityModule {}

/** The worker side: the nightly retention job. */
@Module({
  imports: [AggregationModule],
  providers: [RetentionRepository, RetentionService, PurgeExpiredJob],
  exports: [RetentionService, PurgeExpiredJob],
})
export class RetentionWorkerModule {}
