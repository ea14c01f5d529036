import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SURVEY_LABELS, todayInStockholm } from '@app/domain';
import { normaliseAnswers } from './survey-answers';
import { formPage, messagePage } from './survey-form.page';
import { SurveyOutbox } from './survey-outbox';
import { SurveyRepository } from './survey.repository';
import { tokenHash } from './survey.service';

const L = SURVEY_LABELS.form;
const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;

export interface FormAnswer {
  status: number;
  html: string;
}

/**
 * The anonymous form behind a one-time link. No login and no identity: nothing about the request (address,
 * user agent, time of day) is stored, and the answer row is not linked to the link it came through.
 */
@Injectable()
export class SurveyFormService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SurveyRepository,
    private readonly outbox: SurveyOutbox,
  ) {}

  private unknown(): FormAnswer {
    return { status: 404, html: messagePage(L.unknownTitle, L.unknown) };
  }
  private used(): FormAnswer {
    return { status: 410, html: messagePage(L.usedTitle, L.used) };
  }

  private async round(roundId: string) {
    const round = await this.repository.roundForForm(this.dataSource.manager, roundId);
    if (!round) return null;
    const scopeText = round.interventionNames.length
      ? L.about(round.interventionNames.join(', '))
      : L.aboutAssociation(round.associationName);
    return { ...round, scopeText };
  }

  async show(token: string): Promise<FormAnswer> {
    if (!TOKEN.test(token)) return this.unknown();
    const link = await this.repository.link(this.dataSource.manager, tokenHash(token));
    if (!link) return this.unknown();
    if (link.used) return this.used();
    const round = await this.round(link.roundId);
    if (!round) return this.unknown();
    return {
      status: 200,
      html: formPage({ token, questionnaire: round.questionnaire, scopeText: round.scopeText }),
    };
  }

  async submit(token: string, body: Record<string, unknown>): Promise<FormAnswer> {
    if (!TOKEN.test(token)) return this.unknown();
    const hash = tokenHash(token);
    const link = await this.repository.link(this.dataSource.manager, hash);
    if (!link) return this.unknown();
    if (link.used) return this.used();
    const round = await this.round(link.roundId);
    if (!round) return this.unknown();
    const given: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body ?? {}))
      if (key.startsWith('q.')) given[key.slice(2)] = Array.isArray(value) ? value[0] : value;
    const { answers, problems } = normaliseAnswers(round.questionnaire, given);
    const again = (errors: Record<string, string>) => ({
      status: 400,
      html: formPage({
        token,
        questionnaire: round.questionnaire,
        scopeText: round.scopeText,
        chosen: answers,
        errors,
      }),
    });
    if (problems.length) {
      const known = new Set(round.questionnaire.questions.map((q) => q.id));
      return again(
        Object.fromEntries(
          problems.map((p) => (known.has(p.questionId) ? [p.questionId, L.badAnswer] : ['_form', L.invalid])),
        ),
      );
    }
    if (Object.keys(answers).length === 0) return again({ _form: L.noAnswers });
    const stored = await this.dataSource.transaction(async (tx) => {
      // The link is spent and the answer stored in one transaction: a second submission finds it used.
      const roundId = await this.repository.useLink(tx, hash);
      if (roundId === null) return false;
      await this.repository.insertResponses(tx, roundId, 'web', null, todayInStockholm(), [answers]);
      await this.outbox.mark(tx, round.associationId, round.year);
      return true;
    });
    if (!stored) return this.used();
    this.outbox.trigger(round.associationId, round.year);
    return { status: 200, html: messagePage(L.thanksTitle, L.thanks) };
  }
}
