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
import { RetentionSettingsService } from './retention-settings.service';
import { RetentionService } from './retention.service';

/** The API side: the national count, the data-quality checks and the retention setting. */
@Module({
  imports: [RegistryModule],
  controllers: [NationalCountController, DataQualityController, RetentionController],
  providers: [DataQualityRepository, DataQualityService, RetentionRepository, RetentionSettingsService],
  // The web pages (libs/web) read and set through the same services.
  exports: [DataQualityService, RetentionSettingsService],
})
export class DataQualityModule {}

/** The worker side: the nightly retention job. */
@Module({
  imports: [AggregationModule],
  providers: [RetentionRepository, RetentionService, PurgeExpiredJob],
  exports: [RetentionService, PurgeExpiredJob],
})
export class RetentionWorkerModule {}
