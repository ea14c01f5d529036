import { createHash, randomBytes } from 'node:crypto';
import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { AuditService } from '@app/audit/audit.service';
import { todayInStockholm } from '@app/domain';
import { badField, FieldErrorsException } from '@app/http/field-errors.exception';
import { InterventionAccess } from '@app/registry/intervention-access';
import { isParticipantGroup } from './questionnaire';
import { normaliseAnswers } from './survey-answers';
import { fileProblem, parseSurveyFile, type ImportProblem } from './survey-import';
import { SurveyOutbox } from './survey-outbox';
import { SurveyRepository, type RoundView } from './survey.repository';
import type { CreateSurveyRoundDto } from './survey.dto';

export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** Rounds, answers entered or imported by an evaluator, and the one-time links of the anonymous form. */
@Injectable()
export class SurveyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SurveyRepository,
    private readonly access: InterventionAccess,
    private readonly outbox: SurveyOutbox,
    private readonly audit: AuditService,
  ) {}

  async createRound(caller: AccessScope, dto: CreateSurveyRoundDto): Promise<RoundView> {
    const m = this.dataSource.manager;
    await this.access.requireAssociation(m, caller, dto.associationId);
    const interventionIds = [...new Set((dto.interventionIds ?? []).map((id) => id.toLowerCase()))];
    const questionnaire = (await this.repository.questionnaires(m, [dto.questionnaireId])).get(
      dto.questionnaireId,
    );
    if (!questionnaire) throw badField('questionnaireId', 'is not in the questionnaire catalogue');
    if (dto.year < questionnaire.validFrom)
      throw badField('year', `${questionnaire.id} is valid from ${questionnaire.validFrom}`);
    // A participant answers about the insats they take part in, so their round is for exactly one insats.
    if (isParticipantGroup(questionnaire.respondentGroup) && interventionIds.length !== 1)
      throw badField('interventionIds', 'a participant questionnaire is for exactly one insats');
    for (const id of interventionIds) {
      const intervention = await this.access.require(m, caller, id);
      if (intervention.associationId !== dto.associationId)
        throw badField('interventionIds', `${id} is not an insats of the association`);
    }
    const id = await this.dataSource.transaction(async (tx) => {
      const roundId = await this.repository.createRound(tx, { ...dto, interventionIds });
      await this.audit.record(tx, caller, {
        action: 'create',
        entityType: 'survey_round',
        entityId: roundId,
        associationId: dto.associationId,
        changedFields: ['questionnaireId', 'year', 'invited', 'interventionIds'],
      });
      // A round without answers still changes "invited" in the results.
      await this.outbox.mark(tx, dto.associationId, dto.year);
      return roundId;
    });
    this.outbox.trigger(dto.associationId, dto.year);
    return (await this.repository.listRounds(m, caller, { id }))[0];
  }

  listRounds(caller: AccessScope, filter: { associationId?: string; year?: number }): Promise<RoundView[]> {
    return this.repository.listRounds(this.dataSource.manager, caller, filter);
  }

  /** A round through the caller's scope: 403 outside it, 404 when it does not exist. */
  async requireRound(m: EntityManager, caller: AccessScope, id: string): Promise<RoundView> {
    const [round] = await this.repository.listRounds(m, caller, { id });
    if (round) return round;
    if (await this.repository.roundExists(m, id))
      throw new ForbiddenException('This survey round is outside your scope');
    throw new NotFoundException('No such survey round');
  }

  private async questionnaireOf(m: EntityManager, round: RoundView) {
    return (await this.repository.questionnaires(m, [round.questionnaireId])).get(round.questionnaireId)!;
  }

  /** Responses never outnumber the invited: checked under the round's row lock, so it holds under concurrency. */
  private async requireCapacity(tx: EntityManager, caller: AccessScope, roundId: string, adding: number) {
    await this.repository.lockRound(tx, roundId);
    const round = await this.requireRound(tx, caller, roundId);
    const open = round.linksIssued - round.linksUsed;
    if (round.responses + open + adding > round.invited)
      throw new ConflictException(
        `The round has ${round.invited} invited, ${round.responses} answers and ${open} unused links; ` +
          `${adding} more would exceed the number invited`,
      );
    return round;
  }

  async enterResponse(caller: AccessScope, roundId: string, answers: Record<string, unknown>) {
    const m = this.dataSource.manager;
    const round = await this.requireRound(m, caller, roundId);
    const normalised = normaliseAnswers(await this.questionnaireOf(m, round), answers);
    if (normalised.problems.length)
      throw new FieldErrorsException(
        400,
        `Answers not valid: ${normalised.problems.map((p) => `${p.questionId} ${p.message}`).join('; ')}`,
        normalised.problems.map((p) => ({ field: `answers.${p.questionId}`, message: p.message })),
      );
    if (Object.keys(normalised.answers).length === 0)
      throw badField('answers', 'at least one question must be answered');
    await this.dataSource.transaction(async (tx) => {
      await this.requireCapacity(tx, caller, roundId, 1);
      await this.repository.insertResponses(tx, roundId, 'entered', null, todayInStockholm(), [
        normalised.answers,
      ]);
      await this.audit.record(tx, caller, {
        action: 'create',
        entityType: 'survey_response',
        entityId: roundId,
        associationId: round.associationId,
        details: { responses: 1, source: 'entered' },
      });
      await this.outbox.mark(tx, round.associationId, round.year);
    });
    this.outbox.trigger(round.associationId, round.year);
    return { roundId, answers: normalised.answers };
  }

  /**
   * A file of answers. Dry run: every problem by row and column. Otherwise all rows or none; the same file
   * (by content hash) imported again into the round adds nothing.
   */
  async importResponses(caller: AccessScope, roundId: string, file: Buffer | undefined, dryRun: boolean) {
    if (!file) throw badField('file', 'a CSV or XLSX file is required (multipart field "file")');
    const m = this.dataSource.manager;
    const round = await this.requireRound(m, caller, roundId);
    const parsed = await parseSurveyFile(file, await this.questionnaireOf(m, round));
    const hash = createHash('sha256').update(file).digest('hex');
    const problems: ImportProblem[] = [...parsed.problems];
    const open = round.linksIssued - round.linksUsed;
    if (problems.length === 0 && round.responses + open + parsed.rows.length > round.invited)
      problems.push(
        fileProblem(
          { row: null, column: null },
          {
            code: 'exceeds_invited',
            params: {
              rows: parsed.rows.length,
              invited: round.invited,
              responses: round.responses,
              unused: open,
            },
          },
        ),
      );
    const summary = { rows: parsed.rows.length, problems, moreProblems: parsed.moreProblems };
    if (dryRun) return { status: 200, body: { dryRun: true, valid: problems.length === 0, ...summary } };
    if (problems.length)
      throw new FieldErrorsException(
        400,
        `The file has ${problems.length + parsed.moreProblems} problems; nothing was stored`,
        problems.map((p) => ({
          field: p.row === null ? 'file' : `row ${p.row}${p.column ? `, column ${p.column}` : ''}`,
          message: p.header ? `${p.header}: ${p.message}` : p.message,
        })),
      );
    const imported = await this.dataSource.transaction(async (tx) => {
      await this.requireCapacity(tx, caller, roundId, 0);
      const importId = await this.repository.recordImport(
        tx,
        roundId,
        hash,
        parsed.rows.length,
        todayInStockholm(),
      );
      if (importId === null) return false;
      await this.requireCapacity(tx, caller, roundId, parsed.rows.length);
      await this.repository.insertResponses(
        tx,
        roundId,
        'imported',
        importId,
        todayInStockholm(),
        parsed.rows,
      );
      await this.audit.record(tx, caller, {
        action: 'create',
        entityType: 'survey_import',
        entityId: importId,
        associationId: round.associationId,
        details: { roundId, responses: parsed.rows.length },
      });
      await this.outbox.mark(tx, round.associationId, round.year);
      return true;
    });
    if (imported) this.outbox.trigger(round.associationId, round.year);
    return {
      status: imported ? 201 : 200,
      body: { dryRun: false, imported: imported ? parsed.rows.length : 0, alreadyImported: !imported },
    };
  }

  /** One-time links: the random token goes to the caller once; only its SHA-256 is stored. */
  async createLinks(caller: AccessScope, roundId: string, count: number) {
    const tokens = Array.from({ length: count }, () => randomBytes(24).toString('base64url'));
    const round = await this.dataSource.transaction(async (tx) => {
      const r = await this.requireCapacity(tx, caller, roundId, count);
      await this.repository.insertLinks(tx, roundId, tokens.map(tokenHash));
      await this.audit.record(tx, caller, {
        action: 'create',
        entityType: 'survey_link',
        entityId: roundId,
        associationId: r.associationId,
        details: { links: count },
      });
      return r;
    });
    return {
      roundId: round.id,
      links: tokens.map((token) => ({ token, path: `/enkat/${token}` })),
    };
  }
}
