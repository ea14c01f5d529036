import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AccessScope } from '@app/access/access-scope';
import { Can, Scope } from '@app/access/access.decorators';
import { IdPipe } from '@app/http/id.pipe';
import { ExportStatusView, RequestExportDto } from './report-export.dto';
import { ReportExportJobs } from './report-export-job.service';

/** Large exports (a region, many insatser): made by the worker, fetched when ready. */
@ApiTags('reports')
@ApiBearerAuth()
@Can('exportReports')
@Controller('api/v1/reports/exports')
export class ReportExportsController {
  constructor(private readonly jobs: ReportExportJobs) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ExportStatusView })
  request(@Scope() scope: AccessScope, @Body() dto: RequestExportDto): Promise<ExportStatusView> {
    return this.jobs.request(scope, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: ExportStatusView })
  status(@Scope() scope: AccessScope, @Param('id', new IdPipe('id')) id: string): Promise<ExportStatusView> {
    return this.jobs.status(scope, id);
  }

  @Get(':id/file')
  async file(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const file = await this.jobs.file(scope, id);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${file.filename}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    return new StreamableFile(file.body);
  }
}
