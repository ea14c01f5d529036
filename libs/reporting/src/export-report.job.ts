import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { JobHandler } from '@app/aggregation/job-handler';
import { JobName, type ExportReportData } from '@app/queue/queues';
import { ReportExportJobs } from './report-export-job.service';

@Injectable()
export class ExportReportJob implements JobHandler {
  readonly name = JobName.ExportReport;
  constructor(private readonly exports: ReportExportJobs) {}

  handle(job: Job<ExportReportData>) {
    return this.exports.generate(job);
  }
}
