import { Module } from '@nestjs/common';
import { AggregationModule } from '@app/aggregation/aggregation.module';
import { ScopeRepository } from '@app/auth/scope.repository';
import { RegistryModule } from '@app/registry/registry.module';
import { SurveyReadModule } from '@app/surveys/survey-read.module';
import { AggregationStatusService } from './aggregation-status.service';
import { CombinedReportService } from './combined-report.service';
import { DisclosureFactsRepository } from './disclosure-facts.repository';
import { ExportReportJob } from './export-report.job';
import { ExportService } from './export.service';
import { MaskedReportService } from './masked-report.service';
import { ReportExportJobs } from './report-export-job.service';
import { ReportExportsController } from './report-exports.controller';
import { ReportRepository } from './report.repository';
import { ReportService } from './report.service';
import { AggregationController, ReportsController } from './reports.controller';
import { SetFiguresService } from './set-figures.service';
import { SweepExportsJob } from './sweep-exports.job';

@Module({
  imports: [RegistryModule, AggregationModule, SurveyReadModule],
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
    DisclosureFactsRepository,
    MaskedReportService,
    SetFiguresService,
    SweepExportsJob,
  ],
  exports: [
    ExportReportJob,
    SweepExportsJob,
    ReportService,
    CombinedReportService,
    ExportService,
    AggregationStatusService,
  ],
})
export class ReportingModule {}
