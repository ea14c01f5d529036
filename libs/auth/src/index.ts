export * from './access-scope';
export * from './auth.decorators';
export * from './auth.module';
export * from './password';
