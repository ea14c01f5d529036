export * from './database.module';
export * from './data-source.options';
export * from './migrator';
export * from './reference-data';
export * from './embedded-postgres';
