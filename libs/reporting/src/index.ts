export * from './reporting.module';
export * from './report-body';
