import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CreateUserDto, UpdateUserDto } from '@app/auth/auth.dto';
import { Can, Public } from '@app/access/access.decorators';
import { UsersService } from '@app/auth/users.service';
import { todayInStockholm, WEB_LABELS as W, WEB_TOOL_LABELS } from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';
import { IdPipe } from '@app/http/id.pipe';
import { CreateAssociationDto, CreateInterventionDto, PutGoalsDto } from '@app/registry/registry.dto';
import { RegistryService } from '@app/registry/registry.service';
import { AggregationStatusService } from '@app/reporting/aggregation-status.service';
import { RetentionSettingsService } from '@app/data-quality/retention-settings.service';
import { RetentionDto } from '@app/data-quality/data-quality.dto';
import {
  SetDisclosureThresholdDto,
  SetInterventionMunicipalitiesDto,
} from '@app/registry/registry-settings.dto';
import { RegistrySettingsService } from '@app/registry/registry-settings.service';
import { AppConfig } from '@config/config.module';
import { AuditLogRepository } from './audit-log.repository';
import { fieldErrorsOrThrow, validateAs } from './form-errors';
import { integer, list, percentAsFraction, text, type FormBody } from './form-input';
import { redirect, sendPage } from './html-response';
import {
  AssociationPage,
  AssociationsPage,
  AuditPage,
  InterventionPage,
  InterventionsPage,
  NewInterventionPage,
  NewUserPage,
  StatusPage,
  UserPage,
  UsersPage,
} from './pages/admin.pages';
import { Session, WebSessionGuard, type WebRequest } from './web-session.guard';
import { WebSession, WebSessionService } from './web-session.service';
import { WebExceptionFilter } from './web-exception.filter';

const A = W.admin;
const ENTITY_TYPES = [
  'association',
  'intervention',
  'intervention_goal',
  'user',
  'enrolment',
  'member_organisation',
];

function keep(body: FormBody): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf' || k === 'password') continue;
    if (typeof v === 'string') values[k] = v;
    else if (Array.isArray(v)) values[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return values;
}

const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Admin pages: associations, insatser and goals, users and their scope, audit log, aggregation status. */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Can('useAdminPages')
@Controller()
export class AdminController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly users: UsersService,
    private readonly status: AggregationStatusService,
    private readonly auditLog: AuditLogRepository,
    private readonly sessions: WebSessionService,
    private readonly settings: RegistrySettingsService,
    private readonly retention: RetentionSettingsService,
    private readonly config: AppConfig,
  ) {}

  private async associationPage(
    req: WebRequest,
    res: Response,
    session: WebSession,
    id: string,
    values: Record<string, string | string[]>,
    errors?: FieldError[],
  ): Promise<void> {
    const [association, retention, flash] = await Promise.all([
      this.registry.getAssociation(session.scope, id),
      this.retention.get(session.scope, id),
      errors ? null : this.sessions.takeFlash(session),
    ]);
    sendPage(
      req,
      res,
      AssociationPage({
        session,
        flash,
        association,
        retention,
        defaultRetentionMonths: this.config.env.RETENTION_MONTHS,
        values,
        errors,
      }),
      errors ? 400 : 200,
    );
  }

  @Get('admin/forbund/:id')
  async association(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    await this.associationPage(req, res, session, id, {});
  }

  @Post('admin/forbund/:id/roejandeskydd')
  async setThreshold(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const checked = await validateAs(SetDisclosureThresholdDto, {
      disclosureThreshold: integer(body, 'disclosureThreshold') ?? '',
    });
    if (checked.dto) {
      const saved = await this.registry.getAssociation(session.scope, id);
      await this.settings.setDisclosureThreshold(session.scope, id, checked.dto);
      await this.sessions.flash(session, WEB_TOOL_LABELS.admin.savedSettings(saved.name));
      return redirect(res, `/admin/forbund/${id}`);
    }
    await this.associationPage(req, res, session, id, keep(body), [
      { field: 'disclosureThreshold', message: WEB_TOOL_LABELS.errors.disclosureThreshold },
    ]);
  }

  /** Empty means the installation default (null), as in PUT /api/v1/associations/:id/retention. */
  @Post('admin/forbund/:id/gallring')
  async setRetention(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const months = integer(body, 'retentionMonths');
    const checked = await validateAs(RetentionDto, { retentionMonths: months ?? null });
    if (checked.dto) {
      const saved = await this.registry.getAssociation(session.scope, id);
      await this.retention.set(session.scope, id, checked.dto.retentionMonths ?? null);
      await this.sessions.flash(session, WEB_TOOL_LABELS.admin.savedSettings(saved.name));
      return redirect(res, `/admin/forbund/${id}`);
    }
    await this.associationPage(req, res, session, id, keep(body), [
      { field: 'retentionMonths', message: WEB_TOOL_LABELS.errors.retentionMonths },
    ]);
  }

  @Post('admin/insatser/:id/kommuner')
  async setMunicipalities(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const checked = await validateAs(SetInterventionMunicipalitiesDto, {
      municipalities: list(body, 'municipalities'),
    });
    let errors = checked.errors;
    if (checked.dto) {
      try {
        const saved = await this.settings.setInterventionMunicipalities(session.scope, id, checked.dto);
        await this.sessions.flash(session, WEB_TOOL_LABELS.admin.savedMunicipalities(saved.name));
        return redirect(res, `/admin/insatser/${id}`);
      } catch (error) {
        errors = fieldErrorsOrThrow(error);
      }
    }
    const year = Number(todayInStockholm().slice(0, 4));
    await this.interventionPage(
      req,
      res,
      session,
      id,
      year,
      { municipalities: list(body, 'municipalities') },
      errors ?? [],
    );
  }

  @Get('admin/forbund')
  async associations(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
  ): Promise<void> {
    const [associations, flash] = await Promise.all([
      this.registry.listAssociations(session.scope),
      this.sessions.takeFlash(session),
    ]);
    sendPage(req, res, AssociationsPage({ session, flash, associations, values: {} }));
  }

  @Post('admin/forbund')
  async createAssociation(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Body() body: FormBody,
  ): Promise<void> {
    const checked = await validateAs(
      CreateAssociationDto,
      defined({
        name: text(body, 'name') ?? '',
        organisationNumber: text(body, 'organisationNumber'),
        county: text(body, 'county'),
        disclosureThreshold: integer(body, 'disclosureThreshold'),
      }),
    );
    let errors = checked.errors;
    if (checked.dto) {
      try {
        const created = await this.registry.createAssociation(session.scope, checked.dto);
        await this.sessions.flash(session, A.savedAssociation(created.name));
        return redirect(res, '/admin/forbund');
      } catch (error) {
        errors = fieldErrorsOrThrow(error);
      }
    }
    const associations = await this.registry.listAssociations(session.scope);
    sendPage(
      req,
      res,
      AssociationsPage({ session, flash: null, associations, values: keep(body), errors: errors ?? [] }),
      400,
    );
  }

  @Get('admin/insatser')
  async interventions(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
  ): Promise<void> {
    const [associations, interventions, flash] = await Promise.all([
      this.registry.listAssociations(session.scope),
      this.registry.listInterventions(session.scope),
      this.sessions.takeFlash(session),
    ]);
    sendPage(req, res, InterventionsPage({ session, flash, associations, interventions }));
  }

  @Get('admin/insatser/ny')
  async newIntervention(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
  ): Promise<void> {
    const [associations, municipalities] = await Promise.all([
      this.registry.listAssociations(session.scope),
      this.registry.listMunicipalities(),
    ]);
    sendPage(req, res, NewInterventionPage({ session, associations, municipalities, values: {} }));
  }

  @Post('admin/insatser')
  async createIntervention(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Body() body: FormBody,
  ): Promise<void> {
    const checked = await validateAs(
      CreateInterventionDto,
      defined({
        associationId: text(body, 'associationId') ?? '',
        name: text(body, 'name') ?? '',
        startsOn: text(body, 'startsOn') ?? '',
        endsOn: text(body, 'endsOn'),
        municipalities: list(body, 'municipalities'),
        description: text(body, 'description'),
      }),
    );
    let errors = checked.errors;
    if (checked.dto) {
      try {
        const created = await this.registry.createIntervention(session.scope, checked.dto);
        await this.sessions.flash(session, A.savedIntervention(created.name));
        return redirect(res, `/admin/insatser/${created.id}`);
      } catch (error) {
        errors = fieldErrorsOrThrow(error);
      }
    }
    const [associations, municipalities] = await Promise.all([
      this.registry.listAssociations(session.scope),
      this.registry.listMunicipalities(),
    ]);
    sendPage(
      req,
      res,
      NewInterventionPage({
        session,
        associations,
        municipalities,
        values: keep(body),
        errors: errors ?? [],
      }),
      400,
    );
  }

  private async interventionPage(
    req: WebRequest,
    res: Response,
    session: WebSession,
    id: string,
    year: number,
    values: Record<string, string | string[]>,
    errors?: FieldError[],
  ) {
    const intervention = await this.registry.getIntervention(session.scope, id);
    const [associations, municipalities, goals, flash] = await Promise.all([
      this.registry.listAssociations(session.scope),
      this.registry.listMunicipalities(),
      this.registry.getGoals(session.scope, id, year),
      errors ? null : this.sessions.takeFlash(session),
    ]);
    const association = associations.find((a) => a.id === intervention.associationId);
    sendPage(
      req,
      res,
      InterventionPage({ session, flash, intervention, association, municipalities, goals, values, errors }),
      errors ? 400 : 200,
    );
  }

  @Get('admin/insatser/:id')
  async intervention(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Query('ar') ar: unknown,
  ): Promise<void> {
    const year =
      typeof ar === 'string' && /^\d{4}$/.test(ar) ? Number(ar) : Number(todayInStockholm().slice(0, 4));
    await this.interventionPage(req, res, session, id, year, {});
  }

  @Post('admin/insatser/:id/mal')
  async putGoals(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const yearText = text(body, 'year') ?? '';
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    const checked = await validateAs(
      PutGoalsDto,
      defined({
        participants: integer(body, 'participants'),
        newParticipants: integer(body, 'newParticipants'),
        shareWorkOrStudies: percentAsFraction(body, 'shareWorkOrStudies'),
        shareOrdinaryIntervention: percentAsFraction(body, 'shareOrdinaryIntervention'),
      }),
    );
    let errors: FieldError[] = checked.errors ?? [];
    if (!(year >= 1990 && year <= 2100)) errors = [{ field: 'year', message: W.fieldErrors.year }, ...errors];
    if (checked.dto && errors.length === 0) {
      try {
        await this.registry.putGoals(session.scope, id, year, checked.dto);
        await this.sessions.flash(session, A.savedGoals(year));
        return redirect(res, `/admin/insatser/${id}?ar=${year}`);
      } catch (error) {
        errors = fieldErrorsOrThrow(error);
      }
    }
    const shown = year >= 1990 && year <= 2100 ? year : Number(todayInStockholm().slice(0, 4));
    await this.interventionPage(req, res, session, id, shown, keep(body), errors);
  }

  @Get('admin/anvandare')
  async userList(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
  ): Promise<void> {
    const [users, flash] = await Promise.all([this.users.list(), this.sessions.takeFlash(session)]);
    sendPage(req, res, UsersPage({ session, flash, users }));
  }

  private async scopeChoices(session: WebSession) {
    const [associations, interventions] = await Promise.all([
      this.registry.listAssociations(session.scope),
      this.registry.listInterventions(session.scope),
    ]);
    return { associations, interventions };
  }

  @Get('admin/anvandare/ny')
  async newUser(@Req() req: WebRequest, @Res() res: Response, @Session() session: WebSession): Promise<void> {
    sendPage(req, res, NewUserPage({ session, ...(await this.scopeChoices(session)), values: {} }));
  }

  @Post('admin/anvandare')
  async createUser(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Body() body: FormBody,
  ): Promise<void> {
    const checked = await validateAs(
      CreateUserDto,
      defined({
        email: text(body, 'email') ?? '',
        password: typeof body.password === 'string' ? body.password : '',
        role: text(body, 'role') ?? '',
        displayName: text(body, 'displayName'),
        associationIds: list(body, 'associationIds'),
        interventionIds: list(body, 'interventionIds'),
      }),
    );
    let errors = checked.errors;
    if (checked.dto) {
      try {
        const created = await this.users.create(session.scope, checked.dto);
        await this.sessions.flash(session, A.savedUser(created.email));
        return redirect(res, `/admin/anvandare/${created.id}`);
      } catch (error) {
        errors = fieldErrorsOrThrow(error);
      }
    }
    sendPage(
      req,
      res,
      NewUserPage({
        session,
        ...(await this.scopeChoices(session)),
        values: keep(body),
        errors: errors ?? [],
      }),
      400,
    );
  }

  private async userPage(
    req: WebRequest,
    res: Response,
    session: WebSession,
    id: string,
    values?: Record<string, string | string[]>,
    errors?: FieldError[],
  ) {
    const user = (await this.users.list()).find((u) => u.id === id);
    if (!user) return sendPage(req, res, UsersPage({ session, flash: null, users: [] }), 404);
    const flash = errors ? null : await this.sessions.takeFlash(session);
    sendPage(
      req,
      res,
      UserPage({
        session,
        flash,
        user,
        ...(await this.scopeChoices(session)),
        values: values ?? { associationIds: user.associationIds, interventionIds: user.interventionIds },
        errors,
      }),
      errors ? 400 : 200,
    );
  }

  @Get('admin/anvandare/:id')
  async user(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    await this.userPage(req, res, session, id);
  }

  private async updateUser(
    req: WebRequest,
    res: Response,
    session: WebSession,
    id: string,
    body: FormBody,
    fields: Record<string, unknown>,
  ): Promise<void> {
    const checked = await validateAs(UpdateUserDto, fields);
    let errors = checked.errors;
    if (checked.dto) {
      try {
        const updated = await this.users.update(session.scope, id, checked.dto);
        await this.sessions.flash(session, A.savedUser(updated.email));
        return redirect(res, `/admin/anvandare/${id}`);
      } catch (error) {
        errors = fieldErrorsOrThrow(error);
      }
    }
    await this.userPage(req, res, session, id, keep(body), errors ?? []);
  }

  @Post('admin/anvandare/:id/uppdrag')
  changeScope(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    return this.updateUser(req, res, session, id, body, {
      associationIds: list(body, 'associationIds'),
      interventionIds: list(body, 'interventionIds'),
    });
  }

  @Post('admin/anvandare/:id/losenord')
  resetPassword(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    return this.updateUser(req, res, session, id, body, {
      password: typeof body.password === 'string' ? body.password : '',
    });
  }

  @Post('admin/anvandare/:id/status')
  setActive(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    return this.updateUser(req, res, session, id, body, { active: text(body, 'active') === 'true' });
  }

  @Get('admin/logg')
  async audit(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const entityType =
      typeof query.typ === 'string' && ENTITY_TYPES.includes(query.typ) ? query.typ : 'association';
    const entityId = typeof query.id === 'string' ? query.id.slice(0, 80) : '';
    const lines = entityId ? await this.auditLog.ofEntity(this.dataSource.manager, entityType, entityId) : [];
    sendPage(req, res, AuditPage({ session, entityType, entityId, lines }));
  }

  @Get('status')
  @Can('readAggregationStatus')
  async aggregationStatus(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
  ): Promise<void> {
    sendPage(req, res, StatusPage({ session, status: await this.status.status(session.scope) }));
  }
}
