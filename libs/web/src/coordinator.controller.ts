import { Body, Controller, Get, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, Public } from '@app/access/access.decorators';
import { todayInStockholm, WEB_LABELS as W } from '@app/domain';
import { IdPipe } from '@app/http/id.pipe';
import { CreateEnrolmentDto, ExitEnrolmentDto, UpdateEnrolmentDto } from '@app/registry/enrolment.dto';
import { EnrolmentService } from '@app/registry/enrolment.service';
import { RegistryService } from '@app/registry/registry.service';
import { ReportService } from '@app/reporting/report.service';
import { fieldErrorsOrThrow, validateAs } from './form-errors';
import { integer, list, text, type FormBody } from './form-input';
import { redirect, sendPage } from './html-response';
import {
  CorrectFormPage,
  EnrolFormPage,
  EnrolmentPage,
  ExitFormPage,
  ParticipantListPage,
  RemoveConfirmPage,
  type FormValues,
} from './pages/coordinator.pages';
import type { WebRequest } from './web-session.guard';
import { Session, WebSessionGuard } from './web-session.guard';
import { WebSession, WebSessionService } from './web-session.service';
import { WebExceptionFilter } from './web-exception.filter';
import { Req } from '@nestjs/common';
import { figuresOrNull } from './figures';

const PAGE_SIZE = 25;
const C = W.coordinator;

/** Form fields of an enrolment's start → the API's DTO fields (the DTO's rules then decide). */
function startFields(body: FormBody): Record<string, unknown> {
  const age = integer(body, 'age');
  return {
    participantCode: text(body, 'participantCode') ?? '',
    startedOn: text(body, 'startedOn') ?? '',
    referringParty: text(body, 'referringParty') ?? '',
    gender: text(body, 'gender') ?? '',
    ...(age !== undefined ? { age } : {}),
    ...(text(body, 'ageBand') !== undefined ? { ageBand: text(body, 'ageBand') } : {}),
    municipality: text(body, 'municipality') ?? '',
    ...(text(body, 'educationLevel') !== undefined ? { educationLevel: text(body, 'educationLevel') } : {}),
    incomeSupportAtStart: list(body, 'incomeSupportAtStart'),
  };
}

function exitFields(body: FormBody): Record<string, unknown> {
  return {
    exitedOn: text(body, 'exitedOn') ?? '',
    exitReason: text(body, 'exitReason') ?? '',
    incomeSupportAtExit: list(body, 'incomeSupportAtExit'),
  };
}

/** What the person typed, to show again beside the errors. */
function keep(body: FormBody): FormValues {
  const values: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string') values[k] = v;
    else if (Array.isArray(v)) values[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return values;
}

/**
 * A coordinator's pages: the participants of an insats, registering, exiting, correcting and withdrawing
 * enrolments. Every write goes through the registry's EnrolmentService with the caller's scope.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Can('registerEnrolments')
@Controller()
export class CoordinatorController {
  constructor(
    private readonly enrolments: EnrolmentService,
    private readonly registry: RegistryService,
    private readonly reports: ReportService,
    private readonly sessions: WebSessionService,
  ) {}

  private yearFigures(session: WebSession, interventionId: string) {
    return figuresOrNull(
      this.reports.interventionFigures(session.scope, interventionId, todayInStockholm().slice(0, 4)),
    );
  }

  @Get('insatser/:id')
  async participants(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const requested = typeof query.sida === 'string' && /^\d{1,6}$/.test(query.sida) ? Number(query.sida) : 1;
    await this.renderList(req, res, session, id, query.status, '', requested);
  }

  /**
   * Search by participant code. A POST, so the code never lands in a URL (and so in no access log); an
   * exact code matches at most a few enrolments, so the answer needs no paging.
   */
  @Post('insatser/:id/sok')
  async search(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    await this.renderList(
      req,
      res,
      session,
      id,
      text(body, 'status'),
      (text(body, 'kod') ?? '').slice(0, 64),
      1,
    );
  }

  private async renderList(
    req: WebRequest,
    res: Response,
    session: WebSession,
    id: string,
    rawStatus: unknown,
    code: string,
    requestedPage: number,
  ): Promise<void> {
    const intervention = await this.registry.getIntervention(session.scope, id);
    const status = rawStatus === 'exited' || rawStatus === 'all' ? rawStatus : 'open';
    const list = await this.enrolments.list(session.scope, id, {
      status: status === 'all' ? undefined : status,
      participantCode: code || undefined,
      page: Math.max(1, requestedPage),
      pageSize: PAGE_SIZE,
    });
    const [year, flash] = await Promise.all([
      this.yearFigures(session, id),
      this.sessions.takeFlash(session),
    ]);
    const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
    sendPage(
      req,
      res,
      ParticipantListPage({
        session,
        flash,
        intervention,
        year,
        items: list.items,
        status,
        code,
        page: list.page,
        pages,
        total: list.total,
      }),
    );
  }

  @Get('insatser/:id/inskrivning/ny')
  async enrolForm(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    const intervention = await this.registry.getIntervention(session.scope, id);
    const municipalities = await this.registry.listMunicipalities();
    sendPage(req, res, EnrolFormPage({ session, intervention, municipalities, values: {} }));
  }

  @Post('insatser/:id/inskrivning')
  async enrol(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const intervention = await this.registry.getIntervention(session.scope, id);
    const checked = await validateAs(CreateEnrolmentDto, startFields(body));
    let errors = checked.errors;
    if (checked.dto) {
      try {
        const created = await this.enrolments.create(session.scope, id, checked.dto);
        await this.sessions.flash(session, C.savedEnrolment(created.participantCode));
        return redirect(res, `/insatser/${id}`);
      } catch (error) {
        errors = fieldErrorsOrThrow(error);
      }
    }
    const municipalities = await this.registry.listMunicipalities();
    sendPage(
      req,
      res,
      EnrolFormPage({ session, intervention, municipalities, values: keep(body), errors: errors ?? [] }),
      400,
    );
  }

  private async load(session: WebSession, id: string) {
    const enrolment = await this.enrolments.get(session.scope, id);
    const intervention = await this.registry.getIntervention(session.scope, enrolment.interventionId);
    return { enrolment, intervention };
  }

  @Get('inskrivningar/:id')
  async enrolment(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    const { enrolment, intervention } = await this.load(session, id);
    const [year, flash, municipalities] = await Promise.all([
      this.yearFigures(session, intervention.id),
      this.sessions.takeFlash(session),
      this.registry.listMunicipalities(),
    ]);
    const m = municipalities.find((x) => x.code === enrolment.municipality);
    const municipalityName = m ? `${m.name} (${m.code})` : enrolment.municipality;
    sendPage(req, res, EnrolmentPage({ session, flash, intervention, enrolment, year, municipalityName }));
  }

  @Get('inskrivningar/:id/avslut')
  async exitForm(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    const { enrolment, intervention } = await this.load(session, id);
    sendPage(req, res, ExitFormPage({ session, intervention, enrolment, values: {} }));
  }

  @Post('inskrivningar/:id/avslut')
  async exit(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const { enrolment, intervention } = await this.load(session, id);
    const checked = await validateAs(ExitEnrolmentDto, exitFields(body));
    let errors = checked.errors;
    if (checked.dto) {
      try {
        await this.enrolments.exit(session.scope, id, checked.dto);
        await this.sessions.flash(session, C.savedExit(enrolment.participantCode));
        return redirect(res, `/inskrivningar/${id}`);
      } catch (error) {
        errors = fieldErrorsOrThrow(error);
      }
    }
    sendPage(
      req,
      res,
      ExitFormPage({ session, intervention, enrolment, values: keep(body), errors: errors ?? [] }),
      400,
    );
  }

  @Get('inskrivningar/:id/rattelse')
  async correctForm(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    const { enrolment: e, intervention } = await this.load(session, id);
    const municipalities = await this.registry.listMunicipalities();
    const values: FormValues = {
      participantCode: e.participantCode,
      startedOn: e.startedOn,
      referringParty: e.referringParty,
      gender: e.gender,
      ageBand: e.ageBand,
      municipality: e.municipality,
      educationLevel: e.educationLevel,
      incomeSupportAtStart: e.incomeSupportAtStart,
      exitedOn: e.exitedOn ?? undefined,
      exitReason: e.exitReason ?? undefined,
      incomeSupportAtExit: e.incomeSupportAtExit ?? [],
    };
    sendPage(req, res, CorrectFormPage({ session, intervention, municipalities, enrolment: e, values }));
  }

  @Post('inskrivningar/:id/rattelse')
  async correct(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const { enrolment, intervention } = await this.load(session, id);
    const fields: Record<string, unknown> = startFields(body);
    // Age in years, when typed, replaces the chosen band (the rule accepts one of the two).
    if (fields.age !== undefined) delete fields.ageBand;
    if (enrolment.status === 'exited') {
      if (list(body, 'reopen').includes('yes')) Object.assign(fields, { exitedOn: null, exitReason: null });
      else Object.assign(fields, exitFields(body));
    }
    const checked = await validateAs(UpdateEnrolmentDto, fields);
    let errors = checked.errors;
    if (checked.dto) {
      try {
        const updated = await this.enrolments.update(session.scope, id, checked.dto);
        await this.sessions.flash(session, C.savedCorrection(updated.participantCode));
        return redirect(res, `/inskrivningar/${id}`);
      } catch (error) {
        errors = fieldErrorsOrThrow(error);
      }
    }
    const municipalities = await this.registry.listMunicipalities();
    sendPage(
      req,
      res,
      CorrectFormPage({
        session,
        intervention,
        municipalities,
        enrolment,
        values: keep(body),
        errors: errors ?? [],
      }),
      400,
    );
  }

  @Get('inskrivningar/:id/ta-bort')
  async removeForm(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    const { enrolment, intervention } = await this.load(session, id);
    sendPage(req, res, RemoveConfirmPage({ session, intervention, enrolment }));
  }

  @Post('inskrivningar/:id/ta-bort')
  async remove(
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    const { enrolment, intervention } = await this.load(session, id);
    await this.enrolments.remove(session.scope, id);
    await this.sessions.flash(session, C.removed(enrolment.participantCode));
    redirect(res, `/insatser/${intervention.id}`);
  }
}
