// Every migration, in order. Listed explicitly so the same list runs from ts (tests) and the built app.
import { AggregationResults1795458232000 } from './1795458232000-AggregationResults';
import { ReportExports1795461562000 } from './1795461562000-ReportExports';
import { InitialSchema1795456813000 } from './1795456813000-InitialSchema';
import { UserTokenVersion1796300000000 } from './1796300000000-UserTokenVersion';
import { IndicatorSurveys1796600000000 } from './1796600000000-IndicatorSurveys';
import { ImportsKindsRetention1796700000000 } from './1796700000000-ImportsKindsRetention';
import { DisclosureRecordKeys1796100000000 } from './1796100000000-DisclosureRecordKeys';
import { CoalescedAggregation1796500000000 } from './1796500000000-CoalescedAggregation';
import { WebSessions1796400000000 } from './1796400000000-WebSessions';
import { StoredCellKeys1796800000000 } from './1796800000000-StoredCellKeys';
import { SurveyResponseKeys1796800000001 } from './1796800000001-SurveyResponseKeys';
import { ImportErrorCodes1796900000000 } from './1796900000000-ImportErrorCodes';
import { PurgedFigures1796900000001 } from './1796900000001-PurgedFigures';
import { DirtyMarkFromDate1797000000000 } from './1797000000000-DirtyMarkFromDate';
import { EnrolmentParticipantKey1797100000000 } from './1797100000000-EnrolmentParticipantKey';

export const MIGRATIONS = [
  InitialSchema1795456813000,
  AggregationResults1795458232000,
  ReportExports1795461562000,
  UserTokenVersion1796300000000,
  IndicatorSurveys1796600000000,
  ImportsKindsRetention1796700000000,
  DisclosureRecordKeys1796100000000,
  CoalescedAggregation1796500000000,
  WebSessions1796400000000,
  StoredCellKeys1796800000000,
  SurveyResponseKeys1796800000001,
  ImportErrorCodes1796900000000,
  PurgedFigures1796900000001,
  DirtyMarkFromDate1797000000000,
  EnrolmentParticipantKey1797100000000,
];
