export * from './codes';
export * from './labels.sv';
export * from './calendar-date';
export * from './age-bands';
export * from './periods';
export * from './personal-number';
export * from './metrics';
export * from './disclosure-control';
