import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, type RecomputeAssociationData } from '@app/queue/queues';
import { AppConfig } from '@config/config.module';
import type { JobHandler } from './job-handler';
import { RecomputeService } from './recompute.service';

/** Every dirty mark of one association, coalesced: one job id per association (see queues.ts). */
@Injectable()
export class RecomputeAssociationJob implements JobHandler {
  readonly name = JobName.RecomputeAssociation;
  constructor(
    private readonly recompute: RecomputeService,
    private readonly config: AppConfig,
  ) {}

  /** Returns `nextRoundInMs` when marks are left before the next round is due; the processor schedules it. */
  handle(job: Job<RecomputeAssociationData>) {
    return this.recompute.recomputeAssociation(job.data.associationId, this.config.env.RECOMPUTE_SPACING_MS);
  }
}
