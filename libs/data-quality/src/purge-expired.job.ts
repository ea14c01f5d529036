import { Injectable } from '@nestjs/common';
import type { JobHandler } from '@app/aggregation/job-handler';
import { JobName } from '@app/queue/queues';
import { RetentionService } from './retention.service';

/** Nightly: participant rows past their association's retention period are deleted. */
@Injectable()
export class PurgeExpiredJob implements JobHandler {
  readonly name = JobName.PurgeExpired;
  constructor(private readonly retention: RetentionService) {}

  async handle() {
    const results = await this.retention.purgeExpired();
    return {
      enrolments: results.reduce((n, r) => n + r.enrolments, 0),
      participants: results.reduce((n, r) => n + r.participants, 0),
      deferred: results.filter((r) => r.deferred).length,
    };
  }
}
