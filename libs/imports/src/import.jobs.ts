import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { JobHandler } from '@app/aggregation/job-handler';
import {
  commitImportJobId,
  JobName,
  QueueName,
  validateImportJobId,
  type ImportJobData,
} from '@app/queue/queues';
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

/** Re-enqueues imports whose job was lost (Redis away at upload, a crashed worker); drops stale uploads. */
@Injectable()
export class SweepImportsJob implements JobHandler {
  readonly name = JobName.SweepImports;
  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: ImportsRepository,
    @InjectQueue(QueueName.Imports) private readonly queue: Queue,
  ) {}

  async handle(): Promise<{ enqueued: number; discarded: number }> {
    const m = this.dataSource.manager;
    const pending = await this.imports.unfinished(m);
    await this.queue.addBulk(
      pending.map(({ id, status }) =>
        status === 'validating'
          ? { name: JobName.ValidateImport, data: { importId: id }, opts: { jobId: validateImportJobId(id) } }
          : { name: JobName.CommitImport, data: { importId: id }, opts: { jobId: commitImportJobId(id) } },
      ),
    );
    const discarded = await this.imports.discardStale(m, UNCOMMITTED_DAYS);
    return { enqueued: pending.length, discarded };
  }
}
