import { Injectable } from '@nestjs/common';
import type { JobHandler } from '@app/aggregation/job-handler';
import { JobName } from '@app/queue/queues';
import { ReportExportJobs } from './report-export-job.service';

/** Re-enqueues exports whose job was lost (Redis away when requested, or emptied meanwhile). */
@Injectable()
export class SweepExportsJob implements JobHandler {
  readonly name = JobName.SweepExports;
  constructor(private readonly exports: ReportExportJobs) {}

  handle() {
    return this.exports.sweep();
  }
}
