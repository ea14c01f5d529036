import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { badField } from '@app/http/field-errors.exception';
import { JobEnqueuer } from '@app/queue/enqueue';
import { QueueName } from '@app/queue/queues';
import { InterventionAccess } from '@app/registry/intervention-access';
import { importJob } from './import-job-requests';
import type { ImportView, UploadedImportFile } from './imports.dto';
import { ImportsRepository, type ImportJobRow } from './imports.repository';

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
    errorCode: j.errorCode,
    errorParams: j.errorParams,
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

/** The API's half of an import: store the upload, hand it to the worker, report progress, ask for the commit. */
@Injectable()
export class ImportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: ImportsRepository,
    private readonly access: InterventionAccess,
    private readonly enqueuer: JobEnqueuer,
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
    // While Redis is away: 503 with nothing written (no upload kept that the worker cannot be told about).
    this.enqueuer.assertAvailable();
    // The name is only shown back to the uploader; keep it short and free of paths.
    const filename = (file.originalname.split(/[\\/]/).pop() || 'import').slice(0, 200);
    const id = await this.imports.insertJob(m, {
      associationId,
      uploadedBy: scope.userId,
      filename,
      file: file.buffer,
    });
    // The view as stored now: a small file may be validated before a view read after the enqueue.
    const view = importView((await this.imports.find(m, id))!);
    await this.enqueue(id, 'validating');
    return view;
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
    this.enqueuer.assertAvailable();
    await this.imports.startCommit(m, id);
    const view = importView((await this.imports.find(m, id))!);
    await this.enqueue(id, 'committing');
    return view;
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

  /**
   * The row is whole and records the work: if Redis stops answering between the check above and here, the
   * import sweep enqueues it once Redis is back, so the request does not fail for it.
   */
  private async enqueue(importId: string, status: 'validating' | 'committing'): Promise<void> {
    await this.enqueuer.enqueueOrLeaveToSweep(QueueName.Imports, importJob(importId, status));
  }
}
