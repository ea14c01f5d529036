import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import type { Questionnaire } from './questionnaire';
import type { KeyedResponseFact, RoundFact, SurveyResultBody } from './survey-results';

export interface QuestionnaireRow {
  definition: Questionnaire;
  contentHash: string;
  source: 'config' | 'api';
}

export interface RoundView {
  id: string;
  associationId: string;
  questionnaireId: string;
  respondentGroup: string;
  year: number;
  invited: number;
  interventionIds: string[];
  responses: number;
  linksIssued: number;
  linksUsed: number;
  createdAt: string;
}

export interface StoredSurveyResult {
  body: SurveyResultBody;
  computedAt: Date;
}

const ROUND_COLUMNS = `r.id, r.association_id, r.questionnaire_id, q.respondent_group, r.year, r.invited, r.created_at,
  COALESCE((SELECT array_agg(ri.intervention_id ORDER BY ri.intervention_id) FROM survey_round_intervention ri
             WHERE ri.round_id = r.id), '{}') AS intervention_ids,
  (SELECT count(*) FROM survey_response s WHERE s.round_id = r.id)::int AS responses,
  (SELECT count(*) FROM survey_link l WHERE l.round_id = r.id)::int AS links_issued,
  (SELECT count(*) FROM survey_link l WHERE l.round_id = r.id AND l.used)::int AS links_used`;

function roundView(r: Record<string, unknown>): RoundView {
  return {
    id: r.id as string,
    associationId: r.association_id as string,
    questionnaireId: r.questionnaire_id as string,
    respondentGroup: r.respondent_group as string,
    year: r.year as number,
    invited: r.invited as number,
    interventionIds: r.intervention_ids as string[],
    responses: r.responses as number,
    linksIssued: r.links_issued as number,
    linksUsed: r.links_used as number,
    createdAt: (r.created_at as Date).toISOString(),
  };
}

/**
 * Rounds a caller may see: whole associations for admins, evaluators and board members; for a coordinator
 * only rounds of their own insatser (never association-wide ones).
 */
function roundInScope(scope: AccessScope, params: unknown[]): string {
  if (scope.allAssociations) return 'TRUE';
  if (scope.role === 'coordinator') {
    params.push(scope.interventionIds);
    return `EXISTS (SELECT 1 FROM survey_round_intervention ri
                     WHERE ri.round_id = r.id AND ri.intervention_id = ANY($${params.length}::uuid[]))`;
  }
  params.push(scope.associationIds);
  return `r.association_id = ANY($${params.length}::uuid[])`;
}

/** Named queries of the indicator surveys: catalogue, rounds, answers, links, the outbox and results. */
@Injectable()
export class SurveyRepository {
  // Questionnaires ---------------------------------------------------------------------------------------

  /** A shipped file is the operator's configuration: its content replaces what is stored under its id. */
  async upsertConfigQuestionnaire(m: EntityManager, q: Questionnaire, hash: string): Promise<void> {
    await m.query(
      `INSERT INTO survey_questionnaire (id, respondent_group, title, valid_from, definition, content_hash, source)
       VALUES ($1, $2, $3, $4, $5, $6, 'config')
       ON CONFLICT (id) DO UPDATE SET respondent_group = EXCLUDED.respondent_group, title = EXCLUDED.title,
         valid_from = EXCLUDED.valid_from, definition = EXCLUDED.definition, content_hash = EXCLUDED.content_hash,
         source = 'config'
       WHERE survey_questionnaire.content_hash <> EXCLUDED.content_hash`,
      [q.id, q.respondentGroup, q.title, q.validFrom, JSON.stringify(q), hash],
    );
  }

  /** Inserts unless the id exists; returns the stored hash when it did (the caller compares contents). */
  async insertQuestionnaire(
    m: EntityManager,
    q: Questionnaire,
    hash: string,
  ): Promise<{ inserted: boolean; existingHash: string | null }> {
    const rows = await m.query(
      `INSERT INTO survey_questionnaire (id, respondent_group, title, valid_from, definition, content_hash, source)
       VALUES ($1, $2, $3, $4, $5, $6, 'api') ON CONFLICT (id) DO NOTHING RETURNING id`,
      [q.id, q.respondentGroup, q.title, q.validFrom, JSON.stringify(q), hash],
    );
    if (rows.length) return { inserted: true, existingHash: null };
    const [existing] = await m.query(`SELECT content_hash FROM survey_questionnaire WHERE id = $1`, [q.id]);
    return { inserted: false, existingHash: existing?.content_hash ?? null };
  }

  async listQuestionnaires(m: EntityManager): Promise<QuestionnaireRow[]> {
    const rows = await m.query(
      `SELECT definition, content_hash, source FROM survey_questionnaire ORDER BY respondent_group, valid_from, id`,
    );
    return rows.map((r: Record<string, unknown>) => ({
      definition: r.definition as Questionnaire,
      contentHash: r.content_hash as string,
      source: r.source as 'config' | 'api',
    }));
  }

  async questionnaires(m: EntityManager, ids: string[]): Promise<Map<string, Questionnaire>> {
    const rows = await m.query(`SELECT definition FROM survey_questionnaire WHERE id = ANY($1::text[])`, [
      ids,
    ]);
    return new Map(rows.map((r: { definition: Questionnaire }) => [r.definition.id, r.definition]));
  }

  // Rounds ----------------------------------------------------------------------------------------------

  async createRound(
    m: EntityManager,
    round: {
      associationId: string;
      questionnaireId: string;
      year: number;
      invited: number;
      interventionIds: string[];
    },
  ): Promise<string> {
    const [{ id }] = await m.query(
      `INSERT INTO survey_round (association_id, questionnaire_id, year, invited) VALUES ($1, $2, $3, $4) RETURNING id`,
      [round.associationId, round.questionnaireId, round.year, round.invited],
    );
    if (round.interventionIds.length)
      await m.query(
        `INSERT INTO survey_round_intervention (round_id, intervention_id) SELECT $1, unnest($2::uuid[])`,
        [id, round.interventionIds],
      );
    return id;
  }

  async listRounds(
    m: EntityManager,
    scope: AccessScope,
    filter: { id?: string; associationId?: string; year?: number } = {},
  ): Promise<RoundView[]> {
    const params: unknown[] = [];
    const where = [roundInScope(scope, params)];
    if (filter.id) {
      params.push(filter.id);
      where.push(`r.id = $${params.length}`);
    }
    if (filter.associationId) {
      params.push(filter.associationId);
      where.push(`r.association_id = $${params.length}`);
    }
    if (filter.year) {
      params.push(filter.year);
      where.push(`r.year = $${params.length}`);
    }
    const rows = await m.query(
      `SELECT ${ROUND_COLUMNS} FROM survey_round r JOIN survey_questionnaire q ON q.id = r.questionnaire_id
        WHERE ${where.join(' AND ')} ORDER BY r.year DESC, q.respondent_group, r.created_at`,
      params,
    );
    return rows.map(roundView);
  }

  async roundExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query(`SELECT 1 FROM survey_round WHERE id = $1`, [id])).length > 0;
  }

  /** Serialises writes to one round, so "responses ≤ invited" and one-time links hold under concurrency. */
  async lockRound(m: EntityManager, id: string): Promise<void> {
    await m.query(`SELECT 1 FROM survey_round WHERE id = $1 FOR UPDATE`, [id]);
  }

  /** A round as the anonymous form needs it (no caller: the one-time token is the capability). */
  async roundForForm(
    m: EntityManager,
    id: string,
  ): Promise<{
    questionnaire: Questionnaire;
    year: number;
    associationId: string;
    associationName: string;
    interventionNames: string[];
  } | null> {
    const [row] = await m.query(
      `SELECT q.definition, r.year, r.association_id, a.name AS association_name,
              COALESCE((SELECT array_agg(i.name ORDER BY i.name) FROM survey_round_intervention ri
                          JOIN intervention i ON i.id = ri.intervention_id WHERE ri.round_id = r.id), '{}') AS names
         FROM survey_round r JOIN survey_questionnaire q ON q.id = r.questionnaire_id
         JOIN association a ON a.id = r.association_id WHERE r.id = $1`,
      [id],
    );
    return row
      ? {
          questionnaire: row.definition,
          year: row.year,
          associationId: row.association_id,
          associationName: row.association_name,
          interventionNames: row.names,
        }
      : null;
  }

  // Answers ---------------------------------------------------------------------------------------------

  /** Records a file's hash for the round; null when the same file was imported before (nothing to add). */
  async recordImport(
    m: EntityManager,
    roundId: string,
    hash: string,
    rows: number,
    on: string,
  ): Promise<string | null> {
    const inserted = await m.query(
      `INSERT INTO survey_import (round_id, content_hash, rows, imported_on) VALUES ($1, $2, $3, $4)
       ON CONFLICT (round_id, content_hash) DO NOTHING RETURNING id`,
      [roundId, hash, rows, on],
    );
    return inserted[0]?.id ?? null;
  }

  async insertResponses(
    m: EntityManager,
    roundId: string,
    source: 'entered' | 'imported' | 'web',
    importId: string | null,
    answeredOn: string,
    answers: Record<string, string>[],
  ): Promise<void> {
    const BATCH = 1000;
    for (let i = 0; i < answers.length; i += BATCH)
      await m.query(
        `INSERT INTO survey_response (round_id, source, import_id, answered_on, answers)
         SELECT $1, $2, $3, $4, a::jsonb FROM unnest($5::text[]) AS a`,
        [roundId, source, importId, answeredOn, answers.slice(i, i + BATCH).map((a) => JSON.stringify(a))],
      );
  }

  // Links -----------------------------------------------------------------------------------------------

  async insertLinks(m: EntityManager, roundId: string, hashes: Buffer[]): Promise<void> {
    await m.query(`INSERT INTO survey_link (token_hash, round_id) SELECT unnest($1::bytea[]), $2`, [
      hashes,
      roundId,
    ]);
  }

  async link(m: EntityManager, hash: Buffer): Promise<{ roundId: string; used: boolean } | null> {
    const [row] = await m.query(`SELECT round_id, used FROM survey_link WHERE token_hash = $1`, [hash]);
    return row ? { roundId: row.round_id, used: row.used } : null;
  }

  /** Marks the link used if it was not: atomic, so two simultaneous submissions cannot both succeed. */
  async useLink(m: EntityManager, hash: Buffer): Promise<string | null> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows] = await m.query(
      `UPDATE survey_link SET used = true WHERE token_hash = $1 AND NOT used RETURNING round_id`,
      [hash],
    );
    return rows[0]?.round_id ?? null;
  }

  // Outbox ----------------------------------------------------------------------------------------------

  /** Marks (association, year) dirty; an existing mark gets a new version, so a running job sees it. */
  async markDirty(m: EntityManager, associationId: string, year: number): Promise<void> {
    await m.query(
      `INSERT INTO survey_dirty (association_id, year) VALUES ($1, $2)
       ON CONFLICT (association_id, year) DO UPDATE SET version = survey_dirty.version + 1, marked_at = now()`,
      [associationId, year],
    );
  }

  async dirtyVersion(m: EntityManager, associationId: string, year: number): Promise<string | null> {
    const rows = await m.query(`SELECT version FROM survey_dirty WHERE association_id = $1 AND year = $2`, [
      associationId,
      year,
    ]);
    return rows[0]?.version ?? null;
  }

  /** Clears a mark only if nobody marked it again since `version` was read. */
  async clearDirty(m: EntityManager, associationId: string, year: number, version: string): Promise<void> {
    await m.query(`DELETE FROM survey_dirty WHERE association_id = $1 AND year = $2 AND version = $3`, [
      associationId,
      year,
      version,
    ]);
  }

  async oldestDirty(m: EntityManager, limit: number): Promise<{ associationId: string; year: number }[]> {
    const rows = await m.query(`SELECT association_id, year FROM survey_dirty ORDER BY marked_at LIMIT $1`, [
      limit,
    ]);
    return rows.map((r: { association_id: string; year: number }) => ({
      associationId: r.association_id,
      year: r.year,
    }));
  }

  async lockAssociationYear(m: EntityManager, associationId: string, year: number): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(727010, hashtext($1 || ':' || $2::text))`, [
      associationId,
      year,
    ]);
  }

  // Facts and results -----------------------------------------------------------------------------------

  async roundsOfAssociationYear(m: EntityManager, associationId: string, year: number): Promise<RoundFact[]> {
    const rows = await m.query(
      `SELECT r.id, r.questionnaire_id, r.invited,
              COALESCE((SELECT array_agg(ri.intervention_id) FROM survey_round_intervention ri WHERE ri.round_id = r.id), '{}') AS ids
         FROM survey_round r WHERE r.association_id = $1 AND r.year = $2 ORDER BY r.id`,
      [associationId, year],
    );
    return rows.map((r: { id: string; questionnaire_id: string; invited: number; ids: string[] }) => ({
      id: r.id,
      questionnaireId: r.questionnaire_id,
      invited: r.invited,
      interventionIds: r.ids,
    }));
  }

  async responsesOfRounds(m: EntityManager, roundIds: string[]): Promise<KeyedResponseFact[]> {
    const rows = await m.query(
      `SELECT round_id, answers, disclosure_key::text AS key FROM survey_response WHERE round_id = ANY($1::uuid[])`,
      [roundIds],
    );
    return rows.map((r: { round_id: string; answers: Record<string, string>; key: string }) => ({
      roundId: r.round_id,
      answers: r.answers,
      key: Number(r.key),
    }));
  }

  async interventionIdsOfAssociation(m: EntityManager, associationId: string): Promise<string[]> {
    return (await m.query(`SELECT id FROM intervention WHERE association_id = $1`, [associationId])).map(
      (r: { id: string }) => r.id,
    );
  }

  /** Replaces the association-year's results: scopes without rounds any more lose their row. */
  async replaceResults(
    m: EntityManager,
    associationId: string,
    year: number,
    rows: { scopeType: 'intervention' | 'association'; scopeId: string; body: SurveyResultBody }[],
  ): Promise<void> {
    await m.query(
      `DELETE FROM survey_result WHERE year = $2 AND ((scope_type = 'association' AND scope_id = $1)
          OR (scope_type = 'intervention' AND scope_id IN (SELECT id FROM intervention WHERE association_id = $1)))`,
      [associationId, year],
    );
    if (rows.length === 0) return;
    await m.query(
      `INSERT INTO survey_result (scope_type, scope_id, year, body, computed_at)
       SELECT t, s, $1, b::jsonb, now() FROM unnest($2::text[], $3::uuid[], $4::text[]) AS x(t, s, b)`,
      [
        year,
        rows.map((r) => r.scopeType),
        rows.map((r) => r.scopeId),
        rows.map((r) => JSON.stringify(r.body)),
      ],
    );
  }

  /**
   * What a survey report reads, in one statement and so one snapshot: whether a recompute is pending for the
   * association's year, and the scope's stored results of the year and the year before.
   */
  async reportInputs(
    m: EntityManager,
    associationId: string,
    scopeType: 'intervention' | 'association',
    scopeId: string,
    year: number,
  ): Promise<{ pending: boolean; current: StoredSurveyResult | null; previous: StoredSurveyResult | null }> {
    const [row]: {
      pending: boolean;
      current: { body: SurveyResultBody; computedAt: string } | null;
      previous: { body: SurveyResultBody; computedAt: string } | null;
    }[] = await m.query(
      `SELECT EXISTS (SELECT 1 FROM survey_dirty WHERE association_id = $1 AND year = $4) AS pending,
              (SELECT json_build_object('body', body, 'computedAt', computed_at) FROM survey_result
                WHERE scope_type = $2 AND scope_id = $3 AND year = $4) AS current,
              (SELECT json_build_object('body', body, 'computedAt', computed_at) FROM survey_result
                WHERE scope_type = $2 AND scope_id = $3 AND year = $4 - 1) AS previous`,
      [associationId, scopeType, scopeId, year],
    );
    const stored = (r: typeof row.current) => r && { body: r.body, computedAt: new Date(r.computedAt) };
    return { pending: row.pending, current: stored(row.current), previous: stored(row.previous) };
  }
}
