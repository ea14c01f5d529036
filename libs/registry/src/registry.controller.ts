import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { IdPipe } from '@app/http/id.pipe';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AccessScope } from '@app/access/access-scope';
import { Can, Scope } from '@app/access/access.decorators';
import {
  AssociationView,
  CreateAssociationDto,
  CreateInterventionDto,
  CreateMemberOrganisationDto,
  GoalsView,
  InterventionView,
  MemberOrganisationView,
  MunicipalityView,
  PutGoalsDto,
  UpdateInterventionDto,
} from './registry.dto';
import { RegistryService } from './registry.service';
import { YearPipe } from './year.pipe';

const uuid = new IdPipe('id');

@ApiTags('associations')
@ApiBearerAuth()
@Controller('api/v1/associations')
export class AssociationsController {
  constructor(private readonly registry: RegistryService) {}

  @Post()
  @Can('manageAssociations')
  @ApiCreatedResponse({ type: AssociationView })
  create(@Scope() scope: AccessScope, @Body() dto: CreateAssociationDto): Promise<AssociationView> {
    return this.registry.createAssociation(scope, dto);
  }

  @Get()
  @Can('readAssociations')
  @ApiOkResponse({ type: [AssociationView] })
  list(@Scope() scope: AccessScope): Promise<AssociationView[]> {
    return this.registry.listAssociations(scope);
  }

  @Get(':id')
  @Can('readAssociations')
  @ApiOkResponse({ type: AssociationView })
  get(@Scope() scope: AccessScope, @Param('id', uuid) id: string): Promise<AssociationView> {
    return this.registry.getAssociation(scope, id);
  }

  @Post(':id/members')
  @Can('manageAssociations')
  @ApiCreatedResponse({ type: MemberOrganisationView })
  addMember(
    @Scope() scope: AccessScope,
    @Param('id', uuid) id: string,
    @Body() dto: CreateMemberOrganisationDto,
  ): Promise<MemberOrganisationView> {
    return this.registry.addMemberOrganisation(scope, id, dto);
  }

  @Get(':id/members')
  @Can('readAssociations')
  @ApiOkResponse({ type: [MemberOrganisationView] })
  members(@Scope() scope: AccessScope, @Param('id', uuid) id: string): Promise<MemberOrganisationView[]> {
    return this.registry.listMemberOrganisations(scope, id);
  }
}

@ApiTags('interventions')
@ApiBearerAuth()
@Controller('api/v1/interventions')
export class InterventionsController {
  constructor(private readonly registry: RegistryService) {}

  @Post()
  @Can('manageInterventions')
  @ApiCreatedResponse({ type: InterventionView })
  create(@Scope() scope: AccessScope, @Body() dto: CreateInterventionDto): Promise<InterventionView> {
    return this.registry.createIntervention(scope, dto);
  }

  @Get()
  @Can('readInterventions')
  @ApiQuery({ name: 'associationId', required: false })
  @ApiOkResponse({ type: [InterventionView] })
  list(
    @Scope() scope: AccessScope,
    @Query('associationId', new IdPipe('associationId', true)) associationId?: string,
  ): Promise<InterventionView[]> {
    return this.registry.listInterventions(scope, associationId);
  }

  @Get(':id')
  @Can('readInterventions')
  @ApiOkResponse({ type: InterventionView })
  get(@Scope() scope: AccessScope, @Param('id', uuid) id: string): Promise<InterventionView> {
    return this.registry.getIntervention(scope, id);
  }

  @Patch(':id')
  @Can('manageInterventions')
  @ApiOkResponse({ type: InterventionView })
  update(
    @Scope() scope: AccessScope,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateInterventionDto,
  ): Promise<InterventionView> {
    return this.registry.updateIntervention(scope, id, dto);
  }

  @Put(':id/goals/:year')
  @Can('manageInterventions')
  @ApiOkResponse({ type: GoalsView })
  putGoals(
    @Scope() scope: AccessScope,
    @Param('id', uuid) id: string,
    @Param('year', new YearPipe()) year: number,
    @Body() dto: PutGoalsDto,
  ): Promise<GoalsView> {
    return this.registry.putGoals(scope, id, year, dto);
  }

  @Get(':id/goals/:year')
  @Can('readInterventions')
  @ApiOkResponse({ type: GoalsView })
  getGoals(
    @Scope() scope: AccessScope,
    @Param('id', uuid) id: string,
    @Param('year', new YearPipe()) year: number,
  ): Promise<GoalsView> {
    return this.registry.getGoals(scope, id, year);
  }
}

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('api/v1/municipalities')
export class MunicipalitiesController {
  constructor(private readonly registry: RegistryService) {}

  @Get()
  @Can('readReferenceData')
  @ApiOkResponse({ type: [MunicipalityView] })
  list(): Promise<MunicipalityView[]> {
    return this.registry.listMunicipalities();
  }
}
