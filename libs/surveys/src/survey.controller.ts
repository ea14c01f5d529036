import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AccessScope } from '@app/access/access-scope';
import { Can, Scope } from '@app/access/access.decorators';
import { IdPipe } from '@app/http/id.pipe';
import { QuestionnaireCatalogue } from './questionnaire-catalogue.service';
import { parseSurveyYear, SurveyReportService } from './survey-report.service';
import { SurveyService } from './survey.service';
import {
  CreateSurveyLinksDto,
  CreateSurveyRoundDto,
  SurveyImportQueryDto,
  SurveyReportQueryDto,
  SurveyResponseDto,
  SurveyRoundQueryDto,
} from './survey.dto';

/** Larger than any real answer file; a bigger upload is refused with 413 before it is read. */
export const SURVEY_FILE_LIMIT_BYTES = 16 * 1024 * 1024;

interface UploadedSurveyFile {
  buffer: Buffer;
}

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('api/v1/survey-questionnaires')
export class SurveyQuestionnairesController {
  constructor(private readonly catalogue: QuestionnaireCatalogue) {}

  @Get()
  @Can('readQuestionnaires')
  list() {
    return this.catalogue.list();
  }

  @Post()
  @Can('manageQuestionnaires')
  @ApiBody({ description: 'A questionnaire (api-v1.md "Indicator surveys")' })
  async load(
    @Scope() scope: AccessScope,
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { created, questionnaire } = await this.catalogue.load(scope, body);
    res.status(created ? 201 : 200);
    return questionnaire;
  }
}

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('api/v1/survey-rounds')
export class SurveyRoundsController {
  constructor(private readonly surveys: SurveyService) {}

  @Post()
  @Can('manageSurveyRounds')
  create(@Scope() scope: AccessScope, @Body() dto: CreateSurveyRoundDto) {
    return this.surveys.createRound(scope, dto);
  }

  @Get()
  @Can('readSurveyRounds')
  list(@Scope() scope: AccessScope, @Query() query: SurveyRoundQueryDto) {
    return this.surveys.listRounds(scope, {
      associationId: query.associationId?.toLowerCase(),
      year: query.year === undefined ? undefined : parseSurveyYear(query.year),
    });
  }

  @Post(':id/responses')
  @Can('manageSurveyRounds')
  respond(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Body() dto: SurveyResponseDto,
  ) {
    return this.surveys.enterResponse(scope, id, dto.answers);
  }

  @Post(':id/responses/import')
  @Can('manageSurveyRounds')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: SURVEY_FILE_LIMIT_BYTES, files: 1 } }))
  async import(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Query() query: SurveyImportQueryDto,
    @UploadedFile() file: UploadedSurveyFile | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { status, body } = await this.surveys.importResponses(
      scope,
      id,
      file?.buffer,
      query.dryRun === 'true',
    );
    res.status(status);
    return body;
  }

  @Post(':id/links')
  @Can('manageSurveyRounds')
  @HttpCode(201)
  links(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Body() dto: CreateSurveyLinksDto,
  ) {
    return this.surveys.createLinks(scope, id, dto.count);
  }
}

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class SurveyReportsController {
  constructor(private readonly reports: SurveyReportService) {}

  @Get('interventions/:id/surveys')
  @Can('readReports')
  intervention(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Query() query: SurveyReportQueryDto,
  ) {
    return this.reports.report(scope, { type: 'intervention', id }, parseSurveyYear(query.year));
  }

  @Get('associations/:id/surveys')
  @Can('readReports')
  association(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Query() query: SurveyReportQueryDto,
  ) {
    return this.reports.report(scope, { type: 'association', id }, parseSurveyYear(query.year));
  }
}
