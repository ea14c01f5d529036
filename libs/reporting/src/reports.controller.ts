import { Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AccessScope } from '@app/access/access-scope';
import { Can, Scope } from '@app/access/access.decorators';
import { IdPipe, parseIdList } from '@app/http/id.pipe';
import { AggregationStatusService } from './aggregation-status.service';
import { CombinedReportService } from './combined-report.service';
import { ExportService, type ExportFile } from './export.service';
import {
  AssociationExportQueryDto,
  AssociationReportQueryDto,
  ExportQueryDto,
  RegionalExportQueryDto,
  RegionalReportQueryDto,
  ReportQueryDto,
} from './report-query.dto';
import { ReportService } from './report.service';

const PERIOD_DOC = {
  name: 'period',
  example: '2024-Q3',
  description: '2024, 2024-H1, 2024-Q3, 2024-YTD-Q2 or since-start',
};

const INTERVENTIONS_DOC = {
  name: 'interventions',
  required: false,
  description: "Comma-separated ids: a chosen set of the association's interventions",
};
const NAME_DOC = {
  name: 'name',
  required: false,
  description: 'Name of the chosen set, e.g. Samverkansteamen för unga',
};
const ASSOCIATIONS_DOC = {
  name: 'associations',
  required: false,
  description: 'Comma-separated ids; default: every association in your scope',
};
const FORMAT_DOC = {
  name: 'format',
  enum: ['xlsx', 'csv', 'json'],
  description: 'json: the same tables as data',
};
const PUBLICATION_DOC = {
  name: 'publication',
  required: false,
  description: 'true: apply disclosure control (for publication)',
};

function send(res: Response, file: ExportFile): StreamableFile {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${file.filename}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
  );
  return new StreamableFile(file.body);
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportService,
    private readonly exports: ExportService,
    private readonly combined: CombinedReportService,
  ) {}

  @Get('interventions/:id/export')
  @Can('exportReports')
  @ApiQuery(PERIOD_DOC)
  @ApiQuery(FORMAT_DOC)
  @ApiQuery(PUBLICATION_DOC)
  async exportIntervention(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Query() query: ExportQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return send(
      res,
      await this.exports.export(
        scope,
        { type: 'intervention', id },
        query.period,
        query.format,
        query.publication,
      ),
    );
  }

  @Get('associations/:id/export')
  @Can('exportReports')
  @ApiQuery(PERIOD_DOC)
  @ApiQuery(FORMAT_DOC)
  @ApiQuery(PUBLICATION_DOC)
  async exportAssociation(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Query() query: AssociationExportQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const interventionIds = parseIdList(query.interventions, 'interventions');
    const target = { type: 'association' as const, id, interventionIds, name: query.name };
    return send(res, await this.exports.export(scope, target, query.period, query.format, query.publication));
  }

  @Get('regional/export')
  @Can('exportReports')
  @ApiQuery(PERIOD_DOC)
  @ApiQuery(FORMAT_DOC)
  @ApiQuery(PUBLICATION_DOC)
  @ApiQuery(ASSOCIATIONS_DOC)
  async exportRegion(
    @Scope() scope: AccessScope,
    @Query() query: RegionalExportQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const target = {
      type: 'region' as const,
      associationIds: parseIdList(query.associations, 'associations'),
    };
    return send(res, await this.exports.export(scope, target, query.period, query.format, query.publication));
  }

  @Get('regional')
  @Can('readReports')
  @ApiQuery(PERIOD_DOC)
  @ApiQuery(ASSOCIATIONS_DOC)
  region(@Scope() scope: AccessScope, @Query() query: RegionalReportQueryDto) {
    return this.combined.regionalReport(scope, parseIdList(query.associations, 'associations'), query.period);
  }

  @Get('interventions/:id')
  @Can('readReports')
  @ApiQuery(PERIOD_DOC)
  intervention(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Query() query: ReportQueryDto,
  ) {
    return this.reports.interventionReport(scope, id, query.period);
  }

  @Get('associations/:id')
  @Can('readReports')
  @ApiQuery(PERIOD_DOC)
  @ApiQuery(INTERVENTIONS_DOC)
  @ApiQuery(NAME_DOC)
  association(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Query() query: AssociationReportQueryDto,
  ) {
    const interventionIds = parseIdList(query.interventions, 'interventions');
    return interventionIds
      ? this.combined.setReport(scope, id, interventionIds, query.name, query.period)
      : this.reports.associationReport(scope, id, query.period);
  }
}

@ApiTags('aggregation')
@ApiBearerAuth()
@Controller('api/v1/aggregation')
export class AggregationController {
  constructor(private readonly status: AggregationStatusService) {}

  @Get('status')
  @Can('readAggregationStatus')
  get(@Scope() scope: AccessScope) {
    return this.status.status(scope);
  }

  @Post('rebuild')
  @HttpCode(202)
  @Can('rebuildAggregation')
  @ApiAcceptedResponse({ description: 'A full rebuild of every result was queued' })
  rebuild() {
    return this.status.requestRebuild();
  }
}
