export * from './error-envelope';
export * from './field-errors.exception';
export * from './validation.pipe';
export * from './http-exception.filter';
export * from './correlation-id';
export * from './logging.module';
export * from './validators';
export * from './id.pipe';
