import { Module } from '@nestjs/common';
import { AggregationModule } from '@app/aggregation/aggregation.module';
import { JobHandlerRegistry } from '@app/aggregation/job-handler';
import { RebuildAllJob } from '@app/aggregation/rebuild-all.job';
import { RecomputeInterventionYearJob } from '@app/aggregation/recompute-intervention-year.job';
import { RecomputeAssociationJob } from '@app/aggregation/recompute-association.job';
import { RecomputeService } from '@app/aggregation/recompute.service';
import { SweepDirtyJob } from '@app/aggregation/sweep-dirty.job';
import { AuditModule } from '@app/audit/audit.module';
import { DatabaseModule } from '@app/database/database.module';
import { LoggingModule } from '@app/http/logging.module';
import { QueueModule } from '@app/queue/queue.module';
import { ExportReportJob } from '@app/reporting/export-report.job';
import { ReportingModule } from '@app/reporting/reporting.module';
import { RecomputeSurveyYearJob, SweepSurveyDirtyJob } from '@app/surveys/survey-jobs';
import { SurveyWorkerModule } from '@app/surveys/survey-worker.module';
import { SweepExportsJob } from '@app/reporting/sweep-exports.job';
import { ConfigModule } from '@config/config.module';
import { AggregationProcessor } from './aggregation.processor';
import { ExportsProcessor } from './exports.processor';
import { Schedules } from './schedules';
import { CommitImportJob, SweepImportsJob, ValidateImportJob } from '@app/imports/import.jobs';
import { ImportsWorkerModule } from '@app/imports/imports.module';
import { PurgeExpiredJob } from '@app/data-quality/purge-expired.job';
import { RetentionWorkerModule } from '@app/data-quality/data-quality.module';
import { ImportsProcessor } from './imports.processor';

const HANDLERS = [
  RecomputeInterventionYearJob,
  SweepDirtyJob,
  RebuildAllJob,
  ExportReportJob,
  RecomputeSurveyYearJob,
  SweepSurveyDirtyJob,
  ValidateImportJob,
  CommitImportJob,
  SweepImportsJob,
  PurgeExpiredJob,
  RecomputeAssociationJob,
  SweepExportsJob,
];

/** Job processors only: no HTTP. */
@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule,
    QueueModule,
    AuditModule,
    AggregationModule,
    ReportingModule,
    SurveyWorkerModule,
    ImportsWorkerModule,
    RetentionWorkerModule,
  ],
  providers: [
    RecomputeService,
    RecomputeInterventionYearJob,
    SweepDirtyJob,
    RebuildAllJob,
    RecomputeAssociationJob,
    {
      provide: JobHandlerRegistry,
      inject: HANDLERS,
      useFactory: (...handlers: InstanceType<(typeof HANDLERS)[number]>[]) =>
        new JobHandlerRegistry(handlers),
    },
    AggregationProcessor,
    ExportsProcessor,
    Schedules,
    ImportsProcessor,
  ],
})
export class WorkerModule {}
