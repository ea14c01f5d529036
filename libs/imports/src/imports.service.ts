import { InjectQueue } from '@nestjs/bullmq';
import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { badField } from '@app/http/field-errors.exception';
import { withTimeout } from '@app/http/timeout';
import {
  commitImportJobId,
  JobName,
  QueueName,
  validateImportJobId,
  type ImportJobData,
} from '@app/queue/queues';
import { InterventionAccess } from '@app/registry/intervention-access';
import type { ImportView, UploadedImportFile } from './imports.dto';
import { ImportsRepository, type ImportJobRow } from './imports.repository';

const ENQUEUE_TIMEOUT_MS = 1000;

export function importView(j: ImportJobRow): ImportView {
  return {
    id: j.id,
    associationId: j.associationId,
    filename: j.filename,
    status: j.status,
    progress: { rows: j.rows, processed: j.processed },
    problems: j.problems,
    problemCount: j.problemCount,
    summary: j.summary,
    error: j.error,
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

/** The API's half of an import: store the upload, hand it to the worker, report progress, ask for the commit. */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: ImportsRepository,
    private readonly access: InterventionAccess,
    @InjectQueue(QueueName.Imports) private readonly queue: Queue,
  ) {}

  async upload(
    scope: AccessScope,
    associationId: string,
    file: UploadedImportFile | undefined,
  ): Promise<ImportView> {
    if (!file) throw badField('file', 'is required (multipart field "file": a CSV or XLSX file)');
    if (file.size === 0) throw badField('file', 'is empty');
    const m = this.dataSource.manager;
    await this.access.requireAssociation(m, scope, associationId);
    // The name is only shown back to the uploader; keep it short and free of paths.
    const filename = (file.originalname.split(/[\\/]/).pop() || 'import').slice(0, 200);
    const id = await this.imports.insertJob(m, {
      associationId,
      uploadedBy: scope.userId,
      filename,
      file: file.buffer,
    });
    this.enqueue(JobName.ValidateImport, id, validateImportJobId(id));
    return importView((await this.imports.find(m, id))!);
  }

  async status(scope: AccessScope, id: string): Promise<ImportView> {
    return importView(await this.own(scope, id));
  }

  /** The caller's ten latest imports, to get back to one (the web upload page lists them). */
  recent(scope: AccessScope) {
    return this.imports.recentVisible(this.dataSource.manager, scope.userId, scope.allAssociations, 10);
  }

  async commit(scope: AccessScope, id: string): Promise<ImportView> {
    const m = this.dataSource.manager;
    const current = await this.own(scope, id);
    if (current.status === 'committing' || current.status === 'done') return importView(current);
    if (current.status === 'validating') throw new ConflictException('The file is still being validated');
    if (current.status === 'failed') throw new ConflictException(`The import failed: ${current.error}`);
    if (current.problemCount > 0) {
      throw new ConflictException(
        `The file has ${current.problemCount} problems; nothing can be stored until they are fixed (upload the corrected file)`,
      );
    }
    await this.imports.startCommit(m, id);
    this.enqueue(JobName.CommitImport, id, commitImportJobId(id));
    return importView((await this.imports.find(m, id))!);
  }

  private async own(scope: AccessScope, id: string): Promise<ImportJobRow> {
    const found = await this.imports.findVisible(
      this.dataSource.manager,
      id,
      scope.userId,
      scope.allAssociations,
    );
    if (!found) throw new NotFoundException('No such import of yours');
    return found;
  }

  /** Redis only triggers: a lost job is re-enqueued by the sweep, so the request never waits on Redis. */
  private enqueue(name: JobName, importId: string, jobId: string): void {
    withTimeout(
      this.queue.add(name, { importId } satisfies ImportJobData, { jobId }),
      ENQUEUE_TIMEOUT_MS,
      'no answer from Redis',
    ).catch((error: Error) =>
      this.logger.warn(`Import job not enqueued (the sweep will pick it up): ${error.message}`),
    );
  }
}
