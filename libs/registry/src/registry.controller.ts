import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { IdPipe } from '@app/http/id.pipe';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AccessScope } from '@app/auth/access-scope';
import { Roles, Scope } from '@app/auth/auth.decorators';
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
  @Roles('admin')
  @ApiCreatedResponse({ type: AssociationView })
  create(@Scope() scope: AccessScope, @Body() dto: CreateAssociationDto): Promise<AssociationView> {
    return this.registry.createAssociation(scope, dto);
  }

  @Get()
  @ApiOkResponse({ type: [AssociationView] })
  list(@Scope() scope: AccessScope): Promise<AssociationView[]> {
    return this.registry.listAssociations(scope);
  }

  @Get(':id')
  @ApiOkResponse({ type: AssociationView })
  get(@Scope() scope: AccessScope, @Param('id', uuid) id: string): Promise<AssociationView> {
    return this.registry.getAssociation(scope, id);
  }

  @Post(':id/members')
  @Roles('admin')
  @ApiCreatedResponse({ type: MemberOrganisationView })
  addMember(
    @Scope() scope: AccessScope,
    @Param('id', uuid) id: string,
    @Body() dto: CreateMemberOrganisationDto,
  ): Promise<MemberOrganisationView> {
    return this.registry.addMemberOrganisation(scope, id, dto);
  }

  @Get(':id/members')
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
  @Roles('admin')
  @ApiCreatedResponse({ type: InterventionView })
  create(@Scope() scope: AccessScope, @Body() dto: CreateInterventionDto): Promise<InterventionView> {
    return this.registry.createIntervention(scope, dto);
  }

  @Get()
  @ApiQuery({ name: 'associationId', required: false })
  @ApiOkResponse({ type: [InterventionView] })
  list(
    @Scope() scope: AccessScope,
    @Query('associationId', new IdPipe('associationId', true)) associationId?: string,
  ): Promise<InterventionView[]> {
    return this.registry.listInterventions(scope, associationId);
  }

  @Get(':id')
  @ApiOkResponse({ type: InterventionView })
  get(@Scope() scope: AccessScope, @Param('id', uuid) id: string): Promise<InterventionView> {
    return this.registry.getIntervention(scope, id);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: InterventionView })
  update(
    @Scope() scope: AccessScope,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateInterventionDto,
  ): Promise<InterventionView> {
    return this.registry.updateIntervention(scope, id, dto);
  }

  @Put(':id/goals/:year')
  @Roles('admin')
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
  @ApiOkResponse({ type: [MunicipalityView] })
  list(): Promise<MunicipalityView[]> {
    return this.registry.listMunicipalities();
  }
}
