import { Module } from '@nestjs/common';
import { AggregationModule } from '@app/aggregation/aggregation.module';
import { JobHandlerRegistry } from '@app/aggregation/job-handler';
import { RebuildAllJob } from '@app/aggregation/rebuild-all.job';
import { RecomputeInterventionYearJob } from '@app/aggregation/recompute-intervention-year.job';
import { RecomputeService } from '@app/aggregation/recompute.service';
import { SweepDirtyJob } from '@app/aggregation/sweep-dirty.job';
import { AuditModule } from '@app/audit/audit.module';
import { DatabaseModule } from '@app/database/database.module';
import { LoggingModule } from '@app/http/logging.module';
import { QueueModule } from '@app/queue/queue.module';
import { ExportReportJob } from '@app/reporting/export-report.job';
import { ReportingModule } from '@app/reporting/reporting.module';
import { SweepExportsJob } from '@app/reporting/sweep-exports.job';
import { ConfigModule } from '@config/config.module';
import { AggregationProcessor } from './aggregation.processor';
import { ExportsProcessor } from './exports.processor';
import { Schedules } from './schedules';

const HANDLERS = [
  RecomputeInterventionYearJob,
  SweepDirtyJob,
  RebuildAllJob,
  ExportReportJob,
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
  ],
  providers: [
    RecomputeService,
    RecomputeInterventionYearJob,
    SweepDirtyJob,
    RebuildAllJob,
    {
      provide: JobHandlerRegistry,
      inject: HANDLERS,
      useFactory: (...handlers: InstanceType<(typeof HANDLERS)[number]>[]) =>
        new JobHandlerRegistry(handlers),
    },
    AggregationProcessor,
    ExportsProcessor,
    Schedules,
  ],
})
export class WorkerModule {}
