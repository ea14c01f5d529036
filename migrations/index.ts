// Every migration, in order. Listed explicitly so the same list runs from ts (tests) and the built app.
import { AggregationResults1795458232000 } from './1795458232000-AggregationResults';
import { ReportExports1795461562000 } from './1795461562000-ReportExports';
import { InitialSchema1795456813000 } from './1795456813000-InitialSchema';
import { WebSessions1796400000000 } from './1796400000000-WebSessions';

export const MIGRATIONS = [
  InitialSchema1795456813000,
  AggregationResults1795458232000,
  ReportExports1795461562000,
  WebSessions1796400000000,
];
