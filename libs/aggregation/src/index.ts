export * from './aggregation.module';
export * from './aggregation-outbox';
export * from './aggregation.repository';
export * from './recompute.service';
export * from './scope-results';
export * from './job-handler';
