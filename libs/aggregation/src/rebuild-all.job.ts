import { Injectable } from '@nestjs/common';
import { JobName } from '@app/queue/queues';
import type { JobHandler } from './job-handler';
import { RecomputeService } from './recompute.service';

/** Nightly and on an admin's request: everything from the raw rows (also rolls "since start" to today). */
@Injectable()
export class RebuildAllJob implements JobHandler {
  readonly name = JobName.RebuildAll;
  constructor(private readonly recompute: RecomputeService) {}

  handle() {
    return this.recompute.rebuildAll();
  }
}
