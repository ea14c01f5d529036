import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AccessScope } from '@app/auth/access-scope';
import { Roles, Scope } from '@app/auth/auth.decorators';
import { IdPipe } from '@app/http/id.pipe';
import { AggregationStatusService } from './aggregation-status.service';
import { ReportService } from './report.service';

const PERIOD_DOC = {
  name: 'period',
  example: '2024-Q3',
  description: '2024, 2024-H1, 2024-Q3, 2024-YTD-Q2 or since-start',
};

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportService) {}

  @Get('interventions/:id')
  @ApiQuery(PERIOD_DOC)
  intervention(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Query('period') period: unknown,
  ) {
    return this.reports.interventionReport(scope, id, period);
  }

  @Get('associations/:id')
  @ApiQuery(PERIOD_DOC)
  association(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Query('period') period: unknown,
  ) {
    return this.reports.associationReport(scope, id, period);
  }
}

@ApiTags('aggregation')
@ApiBearerAuth()
@Controller('api/v1/aggregation')
export class AggregationController {
  constructor(private readonly status: AggregationStatusService) {}

  @Get('status')
  @Roles('admin', 'evaluator')
  get(@Scope() scope: AccessScope) {
    return this.status.status(scope);
  }

  @Post('rebuild')
  @HttpCode(202)
  @Roles('admin')
  @ApiAcceptedResponse({ description: 'A full rebuild of every result was queued' })
  rebuild() {
    return this.status.requestRebuild();
  }
}
