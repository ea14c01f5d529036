import type { DefaultJobOptions } from 'bullmq';

/** Every queue and job of the system, in one place. The worker refuses to start if a job lacks a handler. */
export enum QueueName {
  Aggregation = 'aggregation',
  Imports = 'imports',
  /** Report exports: their own queue, so a file never waits behind recomputes (imports have theirs too). */
  Exports = 'exports',
}

export enum JobName {
  RecomputeInterventionYear = 'recompute-intervention-year',
  SweepDirty = 'sweep-dirty',
  RebuildAll = 'rebuild-all',
  ExportReport = 'export-report',
  RecomputeSurveyYear = 'recompute-survey-year',
  SweepSurveyDirty = 'sweep-survey-dirty',
  ValidateImport = 'validate-import',
  CommitImport = 'commit-import',
  SweepImports = 'sweep-imports',
  PurgeExpired = 'purge-expired',
  RecomputeAssociation = 'recompute-association',
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

/**
 * Recomputes are coalesced per association: one job id per association, so while one waits no second is
 * added, and the running one serves every mark made meanwhile (its rounds re-read the outbox).
 */
export interface RecomputeAssociationData {
  associationId: string;
}
export const recomputeAssociationJobId = (associationId: string) => `recompute-association-${associationId}`;

export const SCHEDULER_IDS = {
  sweep: 'sweep-dirty-marks',
  nightlyRebuild: 'nightly-rebuild',
  sweepExports: 'sweep-queued-exports',
  sweepImports: 'sweep-imports',
  nightlyRetention: 'nightly-retention',
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

/** Indicator surveys: one job per (association, year) with survey answers to aggregate (libs/surveys). */
export interface RecomputeSurveyYearData {
  associationId: string;
  year: number;
}
export const surveyRecomputeJobId = (associationId: string, year: number) =>
  `survey-recompute-${associationId}-${year}`;
export const SURVEY_SWEEP_SCHEDULER_ID = 'sweep-survey-dirty-marks';
export interface ImportJobData {
  importId: string;
}

/** One validation and one commit per import: a re-enqueue (the sweep) while one waits or runs adds nothing. */
export const validateImportJobId = (importId: string) => `import-validate-${importId}`;
export const commitImportJobId = (importId: string) => `import-commit-${importId}`;
