import type { JobRequest } from '@app/queue/enqueue';
import { commitImportJobId, JobName, validateImportJobId, type ImportJobData } from '@app/queue/queues';

/** The worker's job for an import in its status: one validation or one commit (deterministic ids). */
export function importJob(importId: string, status: 'validating' | 'committing'): JobRequest {
  const data: ImportJobData = { importId };
  return status === 'validating'
    ? { name: JobName.ValidateImport, data, opts: { jobId: validateImportJobId(importId) } }
    : { name: JobName.CommitImport, data, opts: { jobId: commitImportJobId(importId) } };
}
