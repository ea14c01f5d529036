import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import type { JobHandler } from '@app/aggregation/job-handler';
import { JobEnqueuer } from '@app/queue/enqueue';
import { JobName, QueueName, type ImportJobData } from '@app/queue/queues';
import { importJob } from './import-job-requests';
import { ImportProcessingService } from './import-processing.service';
import { ImportsRepository } from './imports.repository';

// A validated import nobody commits still holds participant data: it is dropped after this many days.
const UNCOMMITTED_DAYS = 7;

@Injectable()
export class ValidateImportJob implements JobHandler {
  readonly name = JobName.ValidateImport;
  constructor(private readonly processing: ImportProcessingService) {}
  handle(job: Job<ImportJobData>) {
    return this.processing.validate(job);
  }
}

@Injectable()
export class CommitImportJob implements JobHandler {
  readonly name = JobName.CommitImport;
  constructor(private readonly processing: ImportProcessingService) {}
  handle(job: Job<ImportJobData>) {
    return this.processing.commit(job);
  }
}

/** Re-enqueues imports whose job was lost (Redis gone just after an upload, a crashed worker); drops stale uploads. */
@Injectable()
export class SweepImportsJob implements JobHandler {
  readonly name = JobName.SweepImports;
  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: ImportsRepository,
    private readonly enqueuer: JobEnqueuer,
  ) {}

  async handle(): Promise<{ enqueued: number; discarded: number }> {
    const m = this.dataSource.manager;
    const pending = await this.imports.unfinished(m);
    await this.enqueuer.enqueue(QueueName.Imports, ...pending.map(({ id, status }) => importJob(id, status)));
    const discarded = await this.imports.discardStale(m, UNCOMMITTED_DAYS);
    return { enqueued: pending.length, discarded };
  }
}
