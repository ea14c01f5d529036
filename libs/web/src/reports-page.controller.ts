import { Controller, Get, Query, Req, Res, StreamableFile, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, Public } from '@app/access/access.decorators';
import { RegistryService } from '@app/registry/registry.service';
import { CombinedReportService } from '@app/reporting/combined-report.service';
import { ExportService, type ExportTarget } from '@app/reporting/export.service';
import { ReportService } from '@app/reporting/report.service';
import type { Table } from '@app/reporting/report-tables';
import { SurveyReportService } from '@app/surveys/survey-report.service';
import type { SurveyReport } from './components/survey-results';
import { redirect, sendPage } from './html-response';
import { ReportPage, selectionQuery, type ReportSelection } from './pages/report.page';
import { defaultPeriod, periodOptions, yearsSince } from './period-choices';
import { Session, WebSessionGuard, type WebRequest } from './web-session.guard';
import type { WebSession } from './web-session.service';
import { WebExceptionFilter } from './web-exception.filter';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const id = (v: unknown) => (typeof v === 'string' && ID.test(v) ? v : undefined);
const ids = (v: unknown) =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(id).filter((x): x is string => !!x);

/**
 * The evaluator's report page: scope and period in the URL (bookmarkable), every table of the exports as
 * HTML, and downloads through the session that call the same ExportService as /api/v1/reports/.../export.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Can('readExactReports')
@Controller('rapporter')
export class ReportsPageController {
  constructor(
    private readonly registry: RegistryService,
    private readonly reports: ReportService,
    private readonly combined: CombinedReportService,
    private readonly exports: ExportService,
    private readonly surveys: SurveyReportService,
  ) {}

  private selection(query: Record<string, unknown>, fallbackAssociation?: string): ReportSelection {
    const typ = ['insats', 'forbund', 'urval', 'region'].includes(query.typ as string)
      ? (query.typ as ReportSelection['typ'])
      : 'forbund';
    return {
      typ,
      forbund: id(query.forbund) ?? fallbackAssociation,
      insats: id(query.insats),
      insatser: ids(query.insatser),
      period: typeof query.period === 'string' && query.period.length <= 20 ? query.period : defaultPeriod(),
    };
  }

  private target(s: ReportSelection): ExportTarget | null {
    if (s.typ === 'insats') return s.insats ? { type: 'intervention', id: s.insats } : null;
    if (s.typ === 'region') return { type: 'region' };
    if (!s.forbund) return null;
    if (s.typ === 'urval')
      return s.insatser.length ? { type: 'association', id: s.forbund, interventionIds: s.insatser } : null;
    return { type: 'association', id: s.forbund };
  }

  /** asOf and fresh of the chosen scope (the tables come from the export service). */
  private async freshness(session: WebSession, t: ExportTarget, period: string) {
    if (t.type === 'intervention') return this.reports.interventionReport(session.scope, t.id, period);
    if (t.type === 'region') return this.combined.regionalReport(session.scope, undefined, period);
    if (t.interventionIds) return { asOf: new Date().toISOString(), fresh: true };
    return this.reports.associationReport(session.scope, t.id, period);
  }

  @Get()
  async page(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const [associations, interventions] = await Promise.all([
      this.registry.listAssociations(session.scope),
      this.registry.listInterventions(session.scope),
    ]);
    const selection = this.selection(query, associations[0]?.id);
    if (query.typ === undefined && selection.forbund)
      return redirect(res, `/rapporter?${selectionQuery(selection)}`);
    const start = interventions.map((i) => i.startsOn).sort()[0];
    const target = this.target(selection);
    let result: { scopeName: string; asOf: string | null; fresh: boolean; tables: Table[] } | null = null;
    if (target) {
      const [file, fresh] = await Promise.all([
        this.exports.export(session.scope, target, selection.period, 'json', 'false'),
        this.freshness(session, target, selection.period),
      ]);
      const json = JSON.parse(file.body.toString('utf8')) as { scopeName: string; tables: Table[] };
      result = { scopeName: json.scopeName, tables: json.tables, asOf: fresh.asOf, fresh: fresh.fresh };
    }
    // The indicator surveys of the period's year, for one insats or the whole association (exact figures).
    let surveys: SurveyReport | null = null;
    if (
      target &&
      (target.type === 'intervention' || (target.type === 'association' && !target.interventionIds))
    ) {
      const year = Number(selection.period.slice(0, 4));
      if (year >= 1990 && year <= 2100)
        surveys = await this.surveys.report(session.scope, { type: target.type, id: target.id }, year);
    }
    sendPage(
      req,
      res,
      ReportPage({
        session,
        selection,
        associations,
        interventions,
        periods: periodOptions(yearsSince(start)),
        result,
        surveys,
      }),
    );
  }

  @Get('export')
  async download(
    @Res({ passthrough: true }) res: Response,
    @Session() session: WebSession,
    @Query() query: Record<string, unknown>,
  ): Promise<StreamableFile> {
    const selection = this.selection(query);
    const target = this.target(selection) ?? { type: 'region' as const };
    const file = await this.exports.export(
      session.scope,
      target,
      selection.period,
      query.format === 'csv' ? 'csv' : 'xlsx',
      query.publicering === 'true' ? 'true' : 'false',
    );
    res.setHeader('Content-Type', file.contentType);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${file.filename}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    return new StreamableFile(file.body);
  }
}
