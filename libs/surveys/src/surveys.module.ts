import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit/audit.module';
import { RegistryModule } from '@app/registry/registry.module';
import { QuestionnaireCatalogue } from './questionnaire-catalogue.service';
import { SurveyFormController } from './survey-form.controller';
import { SurveyFormService } from './survey-form.service';
import { SurveyOutbox } from './survey-outbox';
import { SurveyReadModule } from './survey-read.module';
import { SurveyService } from './survey.service';
import {
  SurveyQuestionnairesController,
  SurveyReportsController,
  SurveyRoundsController,
} from './survey.controller';

/**
 * The API side of the indicator surveys: the catalogue (config/surveys validated and synchronised at start),
 * rounds, answers, the anonymous form and the reads.
 */
@Module({
  imports: [RegistryModule, AuditModule, SurveyReadModule],
  controllers: [
    SurveyQuestionnairesController,
    SurveyRoundsController,
    SurveyReportsController,
    SurveyFormController,
  ],
  providers: [SurveyOutbox, QuestionnaireCatalogue, SurveyService, SurveyFormService],
  // The web pages (libs/web) manage rounds through the same use cases.
  exports: [SurveyService, QuestionnaireCatalogue],
})
export class SurveysModule {}
