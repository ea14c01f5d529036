import { Module } from '@nestjs/common';
import { AggregationModule } from '@app/aggregation/aggregation.module';
import { EnrolmentController } from './enrolment.controller';
import { EnrolmentRepository } from './enrolment.repository';
import { EnrolmentService } from './enrolment.service';
import { InterventionAccess } from './intervention-access';
import {
  AssociationsController,
  InterventionsController,
  MunicipalitiesController,
} from './registry.controller';
import { RegistryRepository } from './registry.repository';
import { RegistryService } from './registry.service';
import { RegistrySettingsService } from './registry-settings.service';

@Module({
  imports: [AggregationModule],
  controllers: [
    AssociationsController,
    InterventionsController,
    MunicipalitiesController,
    EnrolmentController,
  ],
  providers: [
    RegistryRepository,
    RegistryService,
    InterventionAccess,
    EnrolmentRepository,
    EnrolmentService,
    RegistrySettingsService,
  ],
  exports: [
    RegistryRepository,
    InterventionAccess,
    RegistryService,
    EnrolmentService,
    RegistrySettingsService,
  ],
})
export class RegistryModule {}
