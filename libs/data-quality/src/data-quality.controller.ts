import { Body, Controller, Get, Param, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AccessScope } from '@app/access/access-scope';
import { Can, Scope } from '@app/access/access.decorators';
import { IdPipe } from '@app/http/id.pipe';
import { NationalCountQuery, RetentionDto } from './data-quality.dto';
import { DataQualityService } from './data-quality.service';
import { RetentionSettingsService } from './retention-settings.service';
import { nationalCountCsv, nationalCountXlsx, type NationalCount } from './national-count';

const uuid = new IdPipe('id');

function attachment(res: Response, filename: string, contentType: string, body: Buffer): StreamableFile {
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  return new StreamableFile(body);
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports/associations')
export class NationalCountController {
  constructor(private readonly dataQuality: DataQualityService) {}

  /** Försäkringskassan's national count: participants and new participants in individual-oriented insatser. */
  @Get(':id/national-count')
  @Can('readNationalCount')
  async nationalCount(
    @Scope() scope: AccessScope,
    @Param('id', uuid) id: string,
    @Query() query: NationalCountQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<NationalCount | StreamableFile> {
    const count = await this.dataQuality.nationalCount(scope, id, query.year);
    const name = `nationell-uppfoljning-${query.year}`;
    if (query.format === 'csv') {
      return attachment(res, `${name}.csv`, 'text/csv; charset=utf-8', nationalCountCsv(count));
    }
    if (query.format === 'xlsx') {
      return attachment(
        res,
        `${name}.xlsx`,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        await nationalCountXlsx(count),
      );
    }
    return count;
  }
}

@ApiTags('data quality')
@ApiBearerAuth()
@Controller('api/v1/data-quality')
export class DataQualityController {
  constructor(private readonly dataQuality: DataQualityService) {}

  @Get('associations/:id')
  @Can('readDataQuality')
  @ApiOkResponse({ description: '{checks: [{code, severity, description, count, items}]}' })
  checks(@Scope() scope: AccessScope, @Param('id', uuid) id: string) {
    return this.dataQuality.checks(scope, id);
  }
}

/** How long an association keeps participant rows after exit. */
@ApiTags('associations')
@ApiBearerAuth()
@Controller('api/v1/associations')
export class RetentionController {
  constructor(private readonly retention: RetentionSettingsService) {}

  @Get(':id/retention')
  @Can('readRetention')
  get(@Scope() scope: AccessScope, @Param('id', uuid) id: string) {
    return this.retention.get(scope, id);
  }

  @Put(':id/retention')
  @Can('manageAssociations')
  put(@Scope() scope: AccessScope, @Param('id', uuid) id: string, @Body() dto: RetentionDto) {
    return this.retention.set(scope, id, dto.retentionMonths ?? null);
  }
}
