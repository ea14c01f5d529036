import {
  Body,
  ConflictException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Can, Public } from '@app/access/access.decorators';
import { WEB_TOOL_LABELS } from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';
import { FieldErrorsException } from '@app/http/field-errors.exception';
import { IdPipe } from '@app/http/id.pipe';
import { RegistryService } from '@app/registry/registry.service';
import type { Questionnaire } from '@app/surveys/questionnaire';
import { QuestionnaireCatalogue } from '@app/surveys/questionnaire-catalogue.service';
import { CreateSurveyLinksDto, CreateSurveyRoundDto } from '@app/surveys/survey.dto';
import type { RoundView } from '@app/surveys/survey.repository';
import { SurveyService } from '@app/surveys/survey.service';
import { validateAs } from './form-errors';
import { integer, list, text, type FormBody } from './form-input';
import { redirect, sendPage } from './html-response';
import { RoundPage, RoundsPage, type FileCheck, type Values } from './pages/survey.pages';
import { MultipartCsrf, MultipartForm, Session, WebSessionGuard, type WebRequest } from './web-session.guard';
import { WebSession, WebSessionService } from './web-session.service';
import { WebExceptionFilter } from './web-exception.filter';

const S = WEB_TOOL_LABELS.surveys;
const E = WEB_TOOL_LABELS.errors;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROUND_FIELDS: Record<string, string> = {
  associationId: E.association,
  questionnaireId: E.questionnaire,
  year: E.year,
  invited: E.invited,
  interventionIds: E.interventions,
};

function keep(body: FormBody): Values {
  const values: Values = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string') values[k] = v;
    else if (Array.isArray(v)) values[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return values;
}

/** A use case's field errors worded in Swedish on the form's fields (the rules stay in SurveyService). */
function swedish(error: unknown, words: Record<string, string>, fallbackField: string): FieldError[] {
  if (error instanceof FieldErrorsException && error.getStatus() < 500) {
    const seen = new Set<string>();
    return error.details
      .map((d) => {
        const field = d.field.startsWith('answers.') ? `q-${d.field.slice('answers.'.length)}` : d.field;
        const message = field.startsWith('q-') ? E.answer : (words[field] ?? words[fallbackField]);
        return { field: field in words || field.startsWith('q-') ? field : fallbackField, message };
      })
      .filter((e) => (seen.has(e.field) ? false : (seen.add(e.field), true)));
  }
  // More answers or links than invited: the round's capacity rule.
  if (error instanceof ConflictException) return [{ field: fallbackField, message: S.capacity }];
  throw error;
}

/**
 * The evaluator's survey rounds of their association: list and create rounds, enter a paper form's answers,
 * check and import an answers file, make one-time links. Every action calls SurveyService with the caller's
 * scope, so its rules (scope, capacity, all-or-none import) are the API's.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Can('manageSurveyRounds')
@Controller('enkater')
export class SurveyRoundsPageController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly surveys: SurveyService,
    private readonly catalogue: QuestionnaireCatalogue,
    private readonly registry: RegistryService,
    private readonly sessions: WebSessionService,
  ) {}

  private async questionnaires(): Promise<Questionnaire[]> {
    return (await this.catalogue.list()) as Questionnaire[];
  }

  private async renderRounds(
    req: WebRequest,
    res: Response,
    session: WebSession,
    associationId: string | undefined,
    values: Values,
    errors?: FieldError[],
  ): Promise<void> {
    const associations = await this.registry.listAssociations(session.scope);
    const association = associationId
      ? await this.registry.getAssociation(session.scope, associationId)
      : associations[0];
    if (!association) throw new NotFoundException('No association in your scope');
    const [interventions, questionnaires, rounds, flash] = await Promise.all([
      this.registry.listInterventions(session.scope, association.id),
      this.questionnaires(),
      this.surveys.listRounds(session.scope, { associationId: association.id }),
      errors ? Promise.resolve(null) : this.sessions.takeFlash(session),
    ]);
    sendPage(
      req,
      res,
      RoundsPage({
        session,
        flash,
        associations,
        association,
        interventions,
        questionnaires,
        rounds,
        values,
        errors,
      }),
      errors?.length ? 400 : 200,
    );
  }

  @Get()
  async rounds(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const asked =
      typeof query.forbund === 'string' && ID.test(query.forbund) ? query.forbund.toLowerCase() : undefined;
    await this.renderRounds(req, res, session, asked, { year: new Date().getFullYear().toString() });
  }

  @Post()
  async create(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Body() body: FormBody,
  ): Promise<void> {
    const associationId = text(body, 'forbund');
    const checked = await validateAs(CreateSurveyRoundDto, {
      associationId: associationId?.toLowerCase() ?? '',
      questionnaireId: text(body, 'questionnaireId') ?? '',
      year: integer(body, 'year') ?? '',
      invited: integer(body, 'invited') ?? '',
      interventionIds: list(body, 'interventionIds').map((x) => x.toLowerCase()),
    });
    let errors: FieldError[] | null =
      checked.errors?.map((e) => ({
        field: e.field,
        message: ROUND_FIELDS[e.field] ?? e.message,
      })) ?? null;
    if (checked.dto) {
      try {
        const round = await this.surveys.createRound(session.scope, checked.dto);
        await this.sessions.flash(session, S.savedRound);
        return redirect(res, `/enkater/${round.id}`);
      } catch (error) {
        errors = swedish(error, ROUND_FIELDS, 'questionnaireId');
      }
    }
    const valid = associationId && ID.test(associationId) ? associationId.toLowerCase() : undefined;
    await this.renderRounds(req, res, session, valid, keep(body), errors ?? []);
  }

  private async renderRound(
    req: WebRequest,
    res: Response,
    session: WebSession,
    id: string,
    extra: { answers?: Values; errors?: FieldError[]; fileCheck?: FileCheck; links?: string[] } = {},
    status = 200,
  ): Promise<void> {
    const round: RoundView = await this.surveys.requireRound(this.dataSource.manager, session.scope, id);
    const [questionnaires, association, interventions, flash] = await Promise.all([
      this.questionnaires(),
      this.registry.getAssociation(session.scope, round.associationId),
      this.registry.listInterventions(session.scope, round.associationId),
      extra.errors ? Promise.resolve(null) : this.sessions.takeFlash(session),
    ]);
    const questionnaire = questionnaires.find((q) => q.id === round.questionnaireId)!;
    sendPage(
      req,
      res,
      RoundPage({
        session,
        flash,
        round,
        questionnaire,
        associationName: association.name,
        interventionNames: interventions
          .filter((i) => round.interventionIds.includes(i.id))
          .map((i) => i.name),
        answers: extra.answers ?? {},
        errors: extra.errors,
        fileCheck: extra.fileCheck ?? null,
        links: extra.links ?? null,
      }),
      status,
    );
  }

  @Get(':id')
  async round(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    await this.renderRound(req, res, session, id);
  }

  /** A paper form typed in: each question's radio group is `q-<question id>`; empty means not answered. */
  @Post(':id/svar')
  async enter(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const answers: Record<string, string> = {};
    for (const key of Object.keys(body)) {
      const value = text(body, key);
      if (key.startsWith('q-') && value !== undefined) answers[key.slice(2)] = value;
    }
    try {
      await this.surveys.enterResponse(session.scope, id, answers);
      await this.sessions.flash(session, S.savedAnswer);
      return redirect(res, `/enkater/${id}`);
    } catch (error) {
      const errors = swedish(error, { answers: E.answers }, 'answers').map((e) =>
        e.field === 'answers'
          ? { ...e, message: error instanceof ConflictException ? S.capacity : E.answers }
          : e,
      );
      // "answers" has no input of its own: point it at the first question.
      const round = await this.surveys.requireRound(this.dataSource.manager, session.scope, id);
      const first = (await this.questionnaires()).find((q) => q.id === round.questionnaireId)?.questions[0];
      const pointed = errors.map((e) =>
        e.field === 'answers' && first ? { ...e, field: `q-${first.id}` } : e,
      );
      await this.renderRound(req, res, session, id, { answers: keep(body), errors: pointed }, 400);
    }
  }

  /** An answers file: "kontrollera" runs the dry run; "importera" stores all rows or none (same rules). */
  @Post(':id/fil')
  @MultipartForm()
  @UseInterceptors(FileInterceptor('file'), MultipartCsrf)
  async file(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
    @UploadedFile() file: { buffer: Buffer; size: number } | undefined,
  ): Promise<void> {
    if (!file || file.size === 0)
      return this.renderRound(req, res, session, id, { errors: [{ field: 'file', message: E.file }] }, 400);
    const check = await this.surveys.importResponses(session.scope, id, file.buffer, true);
    const fileCheck = check.body as unknown as FileCheck & { valid: boolean };
    if (text(body, 'steg') !== 'importera' || !fileCheck.valid)
      return this.renderRound(req, res, session, id, { fileCheck }, fileCheck.valid ? 200 : 400);
    try {
      const done = await this.surveys.importResponses(session.scope, id, file.buffer, false);
      const result = done.body as { imported?: number; alreadyImported?: boolean };
      await this.sessions.flash(
        session,
        result.alreadyImported ? S.alreadyImported : S.imported(result.imported ?? 0),
      );
      redirect(res, `/enkater/${id}`);
    } catch (error) {
      const errors = swedish(error, { file: E.file }, 'file');
      await this.renderRound(req, res, session, id, { errors }, 400);
    }
  }

  /** One-time links are shown once, on this response (only their hashes are stored). */
  @Post(':id/lankar')
  async links(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const checked = await validateAs(CreateSurveyLinksDto, { count: integer(body, 'count') ?? '' });
    let errors: FieldError[] = checked.errors ? [{ field: 'count', message: E.linkCount }] : [];
    if (checked.dto) {
      try {
        const made = await this.surveys.createLinks(session.scope, id, checked.dto.count);
        const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
        return this.renderRound(req, res, session, id, {
          links: made.links.map((l) => `${origin}${l.path}`),
        });
      } catch (error) {
        errors = swedish(error, { count: E.linkCount }, 'count');
      }
    }
    await this.renderRound(req, res, session, id, { answers: keep(body), errors }, 400);
  }
}
