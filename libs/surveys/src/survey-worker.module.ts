import { Module } from '@nestjs/common';
import { SurveyRecomputeService } from './survey-recompute.service';
import { RecomputeSurveyYearJob, SurveySchedules, SweepSurveyDirtyJob } from './survey-jobs';
import { SurveyRepository } from './survey.repository';

/** The worker side: the recompute and sweep job handlers and the sweep's schedule. */
@Module({
  providers: [
    SurveyRepository,
    SurveyRecomputeService,
    RecomputeSurveyYearJob,
    SweepSurveyDirtyJob,
    SurveySchedules,
  ],
  exports: [RecomputeSurveyYearJob, SweepSurveyDirtyJob],
})
export class SurveyWorkerModule {}
