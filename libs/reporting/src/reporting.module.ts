import { Module } from '@nestjs/common';
import { AggregationModule } from '@app/aggregation/aggregation.module';
import { RegistryModule } from '@app/registry/registry.module';
import { CombinedReportService } from './combined-report.service';
import { AggregationStatusService } from './aggregation-status.service';
import { ExportService } from './export.service';
import { ReportRepository } from './report.repository';
import { ReportService } from './report.service';
import { AggregationController, ReportsController } from './reports.controller';

@Module({
  imports: [RegistryModule, AggregationModule],
  controllers: [ReportsController, AggregationController],
  providers: [
    ReportRepository,
    ReportService,
    AggregationStatusService,
    ExportService,
    CombinedReportService,
  ],
})
export class ReportingModule {}
