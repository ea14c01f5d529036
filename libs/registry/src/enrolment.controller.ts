import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { AccessScope } from '@app/access/access-scope';
import { Can, Scope } from '@app/access/access.decorators';
import { IdPipe } from '@app/http/id.pipe';
import {
  CreateEnrolmentDto,
  EnrolmentPage,
  EnrolmentView,
  ExitEnrolmentDto,
  ListEnrolmentsQuery,
  UpdateEnrolmentDto,
} from './enrolment.dto';
import { EnrolmentService } from './enrolment.service';

const id = new IdPipe('id');

@ApiTags('enrolments')
@ApiBearerAuth()
@Controller('api/v1')
export class EnrolmentController {
  constructor(private readonly enrolments: EnrolmentService) {}

  @Post('interventions/:id/enrolments')
  @Can('registerEnrolments')
  @ApiCreatedResponse({ type: EnrolmentView })
  @ApiConflictResponse({ description: 'The participant already has an open enrolment in this intervention' })
  create(
    @Scope() scope: AccessScope,
    @Param('id', id) interventionId: string,
    @Body() dto: CreateEnrolmentDto,
  ) {
    return this.enrolments.create(scope, interventionId, dto);
  }

  @Get('interventions/:id/enrolments')
  @Can('readEnrolments')
  @ApiOkResponse({ type: EnrolmentPage })
  list(
    @Scope() scope: AccessScope,
    @Param('id', id) interventionId: string,
    @Query() query: ListEnrolmentsQuery,
  ) {
    return this.enrolments.list(scope, interventionId, query);
  }

  @Get('enrolments/:id')
  @Can('readEnrolments')
  @ApiOkResponse({ type: EnrolmentView })
  get(@Scope() scope: AccessScope, @Param('id', id) enrolmentId: string) {
    return this.enrolments.get(scope, enrolmentId);
  }

  @Patch('enrolments/:id')
  @Can('registerEnrolments')
  @ApiOkResponse({ type: EnrolmentView })
  update(@Scope() scope: AccessScope, @Param('id', id) enrolmentId: string, @Body() dto: UpdateEnrolmentDto) {
    return this.enrolments.update(scope, enrolmentId, dto);
  }

  @Post('enrolments/:id/exit')
  @HttpCode(200)
  @Can('registerEnrolments')
  @ApiOkResponse({ type: EnrolmentView })
  @ApiConflictResponse({ description: 'Already exited' })
  exit(@Scope() scope: AccessScope, @Param('id', id) enrolmentId: string, @Body() dto: ExitEnrolmentDto) {
    return this.enrolments.exit(scope, enrolmentId, dto);
  }

  @Delete('enrolments/:id')
  @HttpCode(204)
  @Can('registerEnrolments')
  @ApiNoContentResponse({ description: 'Withdrawn as a registration error' })
  remove(@Scope() scope: AccessScope, @Param('id', id) enrolmentId: string): Promise<void> {
    return this.enrolments.remove(scope, enrolmentId);
  }
}
