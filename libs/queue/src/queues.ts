import type { DefaultJobOptions } from 'bullmq';

/** Every queue and job of the system, in one place. The worker refuses to start if a job lacks a handler. */
export enum QueueName {
  Aggregation = 'aggregation',
  /** Long jobs (exports, later imports): their own queue, so they never hold a recompute's slot. */
  Exports = 'exports',
}

export enum JobName {
  RecomputeInterventionYear = 'recompute-intervention-year',
  SweepDirty = 'sweep-dirty',
  RebuildAll = 'rebuild-all',
  ExportReport = 'export-report',
  SweepExports = 'sweep-exports',
}

export interface ExportReportData {
  exportId: string;
}

export const exportJobId = (exportId: string) => `export-${exportId}`;

export interface RecomputeInterventionYearData {
  interventionId: string;
  year: number;
}

/** Deterministic ids deduplicate triggers: a second write while a job waits does not add another. */
export const recomputeJobId = (interventionId: string, year: number) => `recompute-${interventionId}-${year}`;
export const REBUILD_ALL_JOB_ID = 'rebuild-all';

export const SCHEDULER_IDS = {
  sweep: 'sweep-dirty-marks',
  nightlyRebuild: 'nightly-rebuild',
  sweepExports: 'sweep-queued-exports',
} as const;

/**
 * Jobs are removed when they finish, also when they finally fail: a kept job would block its
 * deterministic id, and the dirty mark it leaves behind is what guarantees a later retry (the sweep).
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: true,
};
