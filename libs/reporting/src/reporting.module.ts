import { Module } from '@nestjs/common';
import { AggregationModule } from '@app/aggregation/aggregation.module';
import { ScopeRepository } from '@app/auth/scope.repository';
import { RegistryModule } from '@app/registry/registry.module';
import { AggregationStatusService } from './aggregation-status.service';
import { CombinedReportService } from './combined-report.service';
import { ExportReportJob } from './export-report.job';
import { ExportService } from './export.service';
import { ReportExportJobs } from './report-export-job.service';
import { ReportExportsController } from './report-exports.controller';
import { ReportRepository } from './report.repository';
import { ReportService } from './report.service';
import { AggregationController, ReportsController } from './reports.controller';
import { SweepExportsJob } from './sweep-exports.job';

@Module({
  imports: [RegistryModule, AggregationModule],
  controllers: [ReportExportsController, ReportsController, AggregationController],
  providers: [
    ReportRepository,
    ReportService,
    AggregationStatusService,
    ExportService,
    CombinedReportService,
    ScopeRepository,
    ReportExportJobs,
    ExportReportJob,
    SweepExportsJob,
  ],
  exports: [ExportReportJob, SweepExportsJob],
})
export class ReportingModule {}
