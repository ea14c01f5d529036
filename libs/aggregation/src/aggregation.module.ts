import { Module } from '@nestjs/common';
import { AggregationOutbox } from './aggregation-outbox';
import { AggregationRepository } from './aggregation.repository';
import { PurgedFiguresRepository } from './purged-figures.repository';

/** The API side: marking dirty and triggering recomputes. */
@Module({
  providers: [AggregationRepository, AggregationOutbox, PurgedFiguresRepository],
  exports: [AggregationRepository, AggregationOutbox, PurgedFiguresRepository],
})
export class AggregationModule {}
