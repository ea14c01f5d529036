export * from './registry.module';
export * from './registry.repository';
export * from './intervention-access';
export * from './enrolment-rules';
