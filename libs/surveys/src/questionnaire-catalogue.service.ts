import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ConflictException, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { AuditService } from '@app/audit/audit.service';
import { FieldErrorsException } from '@app/http/field-errors.exception';
import {
  checkedQuestionnaire,
  parseQuestionnaire,
  QuestionnaireError,
  type Questionnaire,
} from './questionnaire';
import { SurveyRepository } from './survey.repository';

/** Key order does not change a questionnaire: the hash is taken over JSON with sorted keys. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
export const questionnaireHash = (q: Questionnaire) =>
  createHash('sha256').update(canonical(q)).digest('hex');

/**
 * config/surveys: under the working directory (how the app is started: `npm start`, the image's /app), else
 * found upwards from this file (the source tree and dist/ alike).
 */
export function surveyConfigDir(): string {
  const fromCwd = join(process.cwd(), 'config', 'surveys');
  if (existsSync(fromCwd)) return fromCwd;
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'config', 'surveys');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('The folder config/surveys was not found');
    dir = parent;
  }
}

/** Reads and validates every questionnaire file; the first invalid one stops the start, naming file and path. */
export function loadQuestionnaireFiles(dir: string): Questionnaire[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const loaded = files.map((f) =>
    parseQuestionnaire(relative(process.cwd(), join(dir, f)) || f, readFileSync(join(dir, f), 'utf8')),
  );
  const seen = new Map<string, string>();
  loaded.forEach((q, i) => {
    if (seen.has(q.id))
      throw new QuestionnaireError(files[i], [
        { path: '$.id', message: `the id "${q.id}" is also used by ${seen.get(q.id)}` },
      ]);
    seen.set(q.id, files[i]);
  });
  return loaded;
}

/** The questionnaire catalogue: shipped files (synchronised at start) and questionnaires loaded by an admin. */
@Injectable()
export class QuestionnaireCatalogue implements OnApplicationBootstrap {
  private readonly logger = new Logger(QuestionnaireCatalogue.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SurveyRepository,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const questionnaires = loadQuestionnaireFiles(surveyConfigDir());
    await this.dataSource.transaction(async (tx) => {
      for (const q of questionnaires)
        await this.repository.upsertConfigQuestionnaire(tx, q, questionnaireHash(q));
    });
    this.logger.log(`${questionnaires.length} survey questionnaires loaded from config/surveys`);
  }

  async list() {
    return (await this.repository.listQuestionnaires(this.dataSource.manager)).map((r) => ({
      ...r.definition,
      source: r.source,
    }));
  }

  /** 201 when new, 200 when the same content is loaded again, 409 when the id holds other content. */
  async load(caller: AccessScope, doc: unknown): Promise<{ created: boolean; questionnaire: Questionnaire }> {
    let q: Questionnaire;
    try {
      q = checkedQuestionnaire('in the request', doc);
    } catch (error) {
      if (!(error instanceof QuestionnaireError)) throw error;
      throw new FieldErrorsException(
        400,
        error.message,
        error.problems.map((p) => ({ field: p.path, message: p.message })),
      );
    }
    const hash = questionnaireHash(q);
    const { inserted, existingHash } = await this.dataSource.transaction(async (tx) => {
      const outcome = await this.repository.insertQuestionnaire(tx, q, hash);
      if (outcome.inserted)
        await this.audit.record(tx, caller, {
          action: 'create',
          entityType: 'survey_questionnaire',
          entityId: q.id,
          details: {
            respondentGroup: q.respondentGroup,
            validFrom: q.validFrom,
            questions: q.questions.length,
          },
        });
      return outcome;
    });
    if (!inserted && existingHash !== hash)
      throw new ConflictException(
        `A questionnaire with the id "${q.id}" exists with other content; a reworded questionnaire needs a new id`,
      );
    return { created: inserted, questionnaire: q };
  }
}
