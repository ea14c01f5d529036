import { Module } from '@nestjs/common';
import { RegistryModule } from '@app/registry/registry.module';
import { SurveyReportService } from './survey-report.service';
import { SurveyRepository } from './survey.repository';

/**
 * Reading stored survey results (no controllers, no start-up work): what the report exports need, also in the
 * worker, which makes exports in the background.
 */
@Module({
  imports: [RegistryModule],
  providers: [SurveyRepository, SurveyReportService],
  exports: [SurveyRepository, SurveyReportService],
})
export class SurveyReadModule {}
