import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AggregationModule } from '@app/aggregation/aggregation.module';
import { ScopeRepository } from '@app/auth/scope.repository';
import { RegistryModule } from '@app/registry/registry.module';
import { AppConfig } from '@config/config.module';
import { ImportProcessingService } from './import-processing.service';
import { ImportUploadLimit } from './import-upload.interceptor';
import { CommitImportJob, SweepImportsJob, ValidateImportJob } from './import.jobs';
import { ImportsController } from './imports.controller';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';

/** The API side: upload, progress, commit request. */
@Module({
  imports: [
    RegistryModule,
    // Memory storage (no dest): the file goes straight into PostgreSQL for the worker.
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        limits: { fileSize: config.env.IMPORT_MAX_FILE_MB * 1024 * 1024, files: 1, fields: 10, parts: 12 },
      }),
    }),
  ],
  controllers: [ImportsController],
  providers: [ImportsRepository, ImportsService, ImportUploadLimit],
  // The web pages (libs/web) upload and commit through the same service.
  exports: [ImportsService, ImportUploadLimit],
})
export class ImportsModule {}

/** The worker side: validation, commit and the sweep, as job handlers. */
@Module({
  imports: [AggregationModule],
  providers: [
    ImportsRepository,
    ImportProcessingService,
    ScopeRepository,
    ValidateImportJob,
    CommitImportJob,
    SweepImportsJob,
  ],
  exports: [ValidateImportJob, CommitImportJob, SweepImportsJob],
})
export class ImportsWorkerModule {}
