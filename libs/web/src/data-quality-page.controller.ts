import { Controller, Get, Query, Req, Res, StreamableFile, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, Public } from '@app/access/access.decorators';
import { allows } from '@app/access/policy';
import { nationalCountCsv, nationalCountXlsx } from '@app/data-quality/national-count';
import { DataQualityService } from '@app/data-quality/data-quality.service';
import { todayInStockholm, WEB_TOOL_LABELS } from '@app/domain';
import type { AssociationView } from '@app/registry/registry.dto';
import { RegistryService } from '@app/registry/registry.service';
import { AppConfig } from '@config/config.module';
import { sendPage } from './html-response';
import { DataQualityPage, NationalCountPage, type QualityItem } from './pages/data-quality.pages';
import { Session, WebSessionGuard, type WebRequest } from './web-session.guard';
import type { WebSession } from './web-session.service';
import { WebExceptionFilter } from './web-exception.filter';
import { NotFoundException } from '@nestjs/common';

const D = WEB_TOOL_LABELS.dataQuality;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The association asked for (?forbund=), else the caller's first; 404 when the caller sees none. */
async function chosenAssociation(
  registry: RegistryService,
  session: WebSession,
  query: Record<string, unknown>,
) {
  const associations = await registry.listAssociations(session.scope);
  const asked =
    typeof query.forbund === 'string' && ID.test(query.forbund) ? query.forbund.toLowerCase() : null;
  const association: AssociationView | undefined = asked
    ? await registry.getAssociation(session.scope, asked)
    : associations[0];
  if (!association) throw new NotFoundException('No association in your scope');
  return { associations, association };
}

type Row = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Where a found row is put right. Someone who may correct enrolments (coordinator, admin) goes to the
 * enrolment's correction page or the insats' participant list; an evaluator to the insats' report.
 */
function itemOf(session: WebSession, code: string, row: Row): QualityItem {
  const canCorrect = allows('registerEnrolments', session.scope.role);
  const interventionId = str(row.interventionId);
  const enrolmentId = str(row.enrolmentId);
  const interventionLink = interventionId
    ? canCorrect
      ? { href: `/insatser/${interventionId}`, label: D.show }
      : { href: `/rapporter?typ=insats&insats=${interventionId}`, label: D.show }
    : undefined;
  const item: QualityItem = {
    interventionName: str(row.interventionName),
    link:
      enrolmentId && canCorrect
        ? { href: `/inskrivningar/${enrolmentId}/rattelse`, label: D.correct }
        : interventionLink,
  };
  if (str(row.participantCode) !== undefined) item.participantCode = str(row.participantCode);
  if (code === 'open_too_long') item.date = str(row.startedOn);
  if (code === 'exit_without_income_support') item.date = str(row.exitedOn);
  if (code === 'inactive_intervention') {
    const at = row.lastRegistrationAt;
    item.date = at ? new Date(at as string).toISOString().slice(0, 10) : '–';
  }
  if (Array.isArray(row.participantCodes)) {
    item.codes = (row.participantCodes as string[]).join(', ');
    item.link = undefined;
  }
  return item;
}

@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Can('readDataQuality')
@Controller('datakvalitet')
export class DataQualityPageController {
  constructor(
    private readonly registry: RegistryService,
    private readonly dataQuality: DataQualityService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async page(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const { associations, association } = await chosenAssociation(this.registry, session, query);
    const { checks } = await this.dataQuality.checks(session.scope, association.id);
    const env = this.config.env;
    const titles: Record<string, string> = {
      open_too_long: D.checks.open_too_long(String(env.DATA_QUALITY_OPEN_MONTHS)),
      exit_without_income_support: D.checks.exit_without_income_support,
      missing_goals: D.checks.missing_goals(todayInStockholm().slice(0, 4)),
      similar_participant_codes: D.checks.similar_participant_codes,
      inactive_intervention: D.checks.inactive_intervention(String(env.DATA_QUALITY_INACTIVE_MONTHS)),
    };
    sendPage(
      req,
      res,
      DataQualityPage({
        session,
        associations,
        association,
        checks: checks.map((c) => ({
          code: c.code,
          severity: c.severity,
          title: titles[c.code] ?? c.description,
          count: c.count,
          items: (c.items as Row[]).map((row) => itemOf(session, c.code, row)),
        })),
      }),
    );
  }
}

function yearOf(query: Record<string, unknown>): { year: number; value: string; error?: string } {
  const fallback = Number(todayInStockholm().slice(0, 4)) - 1;
  if (query.ar === undefined || query.ar === '') return { year: fallback, value: String(fallback) };
  const value = typeof query.ar === 'string' ? query.ar.trim().slice(0, 10) : '';
  const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
  if (year >= 1990 && year <= 2100) return { year, value };
  return { year: fallback, value, error: WEB_TOOL_LABELS.errors.year };
}

/** Försäkringskassan's national count for evaluators and admins: the table and its CSV/XLSX files. */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Can('readNationalCount')
@Controller('nationell-uppfoljning')
export class NationalCountPageController {
  constructor(
    private readonly registry: RegistryService,
    private readonly dataQuality: DataQualityService,
  ) {}

  @Get()
  async page(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const { associations, association } = await chosenAssociation(this.registry, session, query);
    const { year, value, error } = yearOf(query);
    const count = await this.dataQuality.nationalCount(session.scope, association.id, year);
    sendPage(
      req,
      res,
      NationalCountPage({ session, associations, count, yearValue: value, yearError: error }),
      error ? 400 : 200,
    );
  }

  @Get('export')
  async download(
    @Res({ passthrough: true }) res: Response,
    @Session() session: WebSession,
    @Query() query: Record<string, unknown>,
  ): Promise<StreamableFile> {
    const { association } = await chosenAssociation(this.registry, session, query);
    const { year } = yearOf(query);
    const count = await this.dataQuality.nationalCount(session.scope, association.id, year);
    const name = `nationell-uppfoljning-${year}`;
    const xlsx = query.format === 'xlsx';
    res.setHeader(
      'Content-Type',
      xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
    );
    res.setHeader('Content-Disposition', `attachment; filename="${name}.${xlsx ? 'xlsx' : 'csv'}"`);
    return new StreamableFile(xlsx ? await nationalCountXlsx(count) : nationalCountCsv(count));
  }
}
