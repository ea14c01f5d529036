import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, type RecomputeInterventionYearData } from '@app/queue/queues';
import type { JobHandler } from './job-handler';
import { RecomputeService } from './recompute.service';

/** Jobs queued by an older version (one per intervention and year): served by the association's recompute. */
@Injectable()
export class RecomputeInterventionYearJob implements JobHandler {
  readonly name = JobName.RecomputeInterventionYear;
  constructor(private readonly recompute: RecomputeService) {}

  handle(job: Job<RecomputeInterventionYearData>) {
    return this.recompute.recomputeInterventionYear(job.data.interventionId);
  }
}
