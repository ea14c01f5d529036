import { Module } from '@nestjs/common';
import { RegistryModule } from '@app/registry/registry.module';
import { AggregationStatusService } from './aggregation-status.service';
import { ExportService } from './export.service';
import { ReportRepository } from './report.repository';
import { ReportService } from './report.service';
import { AggregationController, ReportsController } from './reports.controller';

@Module({
  imports: [RegistryModule],
  controllers: [ReportsController, AggregationController],
  providers: [ReportRepository, ReportService, AggregationStatusService, ExportService],
})
export class ReportingModule {}
