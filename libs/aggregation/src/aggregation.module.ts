import { Module } from '@nestjs/common';
import { AggregationOutbox } from './aggregation-outbox';
import { AggregationRepository } from './aggregation.repository';

/** The API side: marking dirty and triggering recomputes. */
@Module({
  providers: [AggregationRepository, AggregationOutbox],
  exports: [AggregationRepository, AggregationOutbox],
})
export class AggregationModule {}
