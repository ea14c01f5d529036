import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit/audit.module';
import { RegistryModule } from '@app/registry/registry.module';
import { QuestionnaireCatalogue } from './questionnaire-catalogue.service';
import { SurveyFormController } from './survey-form.controller';
import { SurveyFormService } from './survey-form.service';
import { SurveyOutbox } from './survey-outbox';
import { SurveyReportService } from './survey-report.service';
import { SurveyRepository } from './survey.repository';
import { SurveyService } from './survey.service';
import {
  SurveyQuestionnairesController,
  SurveyReportsController,
  SurveyRoundsController,
} from './survey.controller';

/** The API side of the indicator surveys: catalogue, rounds, answers, the anonymous form and reads. */
@Module({
  imports: [RegistryModule, AuditModule],
  controllers: [
    SurveyQuestionnairesController,
    SurveyRoundsController,
    SurveyReportsController,
    SurveyFormController,
  ],
  providers: [
    SurveyRepository,
    SurveyOutbox,
    QuestionnaireCatalogue,
    SurveyService,
    SurveyFormService,
    SurveyReportService,
  ],
  exports: [SurveyReportService],
})
export class SurveysModule {}
