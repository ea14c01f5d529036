import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { interventionInScope, type AccessScope } from '@app/access/access-scope';
import { expandCounts, type GenderCounts } from '@app/domain';

// Items listed per check; the count is always the full number.
export const ITEM_LIMIT = 100;

export interface NationalCountSource {
  id: string;
  name: string;
  participants: GenderCounts | null;
  newParticipants: GenderCounts | null;
  computedAt: Date | null;
}

/** Named queries of the data-quality checks and the national count. Every read is limited to the caller's scope. */
@Injectable()
export class DataQualityRepository {
  /** Individual-oriented insatser running in the year, with their stored year result where it exists. */
  async nationalCountSources(
    m: EntityManager,
    associationId: string,
    year: number,
  ): Promise<NationalCountSource[]> {
    const rows = await m.query(
      `SELECT i.id, i.name, r.counts, r.computed_at
         FROM intervention i
         LEFT JOIN period_result r ON r.scope_type = 'intervention' AND r.scope_id = i.id AND r.period_code = $2::int::text
        WHERE i.association_id = $1 AND i.kind = 'individual'
          AND i.starts_on <= make_date($2::int, 12, 31) AND (i.ends_on IS NULL OR i.ends_on >= make_date($2::int, 1, 1))
        ORDER BY i.name`,
      [associationId, year],
    );
    return rows.map(
      (r: { id: string; name: string; counts: Record<string, unknown> | null; computed_at: Date | null }) => {
        const counts = r.counts ? expandCounts(r.counts) : null;
        return {
          id: r.id,
          name: r.name,
          participants: counts?.active ?? null,
          newParticipants: counts?.new ?? null,
          computedAt: r.computed_at,
        };
      },
    );
  }

  /** The same numbers counted from the rows, for insatser without a stored result (domain.md definitions). */
  async countFromRows(
    m: EntityManager,
    interventionIds: string[],
    year: number,
  ): Promise<Map<string, { participants: GenderCounts; newParticipants: GenderCounts }>> {
    const rows: { id: string; gender: 'woman' | 'man' | 'unspecified'; active: number; new: number }[] =
      await m.query(
        `SELECT e.intervention_id AS id, e.gender,
              count(*)::int AS active,
              count(*) FILTER (WHERE e.started_on >= make_date($2::int, 1, 1))::int AS new
         FROM enrolment e
        WHERE e.intervention_id = ANY($1::uuid[]) AND e.removed_at IS NULL
          AND e.started_on <= make_date($2::int, 12, 31) AND (e.exited_on IS NULL OR e.exited_on >= make_date($2::int, 1, 1))
        GROUP BY 1, 2`,
        [interventionIds, year],
      );
    const result = new Map<string, { participants: GenderCounts; newParticipants: GenderCounts }>();
    for (const id of interventionIds) {
      result.set(id, {
        participants: { woman: 0, man: 0, unspecified: 0, total: 0 },
        newParticipants: { woman: 0, man: 0, unspecified: 0, total: 0 },
      });
    }
    for (const r of rows) {
      const line = result.get(r.id)!;
      line.participants[r.gender] += r.active;
      line.participants.total += r.active;
      line.newParticipants[r.gender] += r.new;
      line.newParticipants.total += r.new;
    }
    return result;
  }

  /** Whether a recompute is pending for the year in any individual-oriented insats of the association. */
  async pendingRecomputes(m: EntityManager, associationId: string, year: number): Promise<boolean> {
    const rows = await m.query(
      `SELECT 1 FROM aggregation_dirty d JOIN intervention i ON i.id = d.intervention_id
        WHERE i.association_id = $1 AND i.kind = 'individual' AND d.year = $2 LIMIT 1`,
      [associationId, year],
    );
    return rows.length > 0;
  }

  async openTooLong(
    m: EntityManager,
    scope: AccessScope,
    associationId: string,
    months: number,
    today: string,
  ) {
    const params: unknown[] = [associationId, months, today];
    return this.check(
      m,
      `SELECT e.id AS "enrolmentId", e.intervention_id AS "interventionId", i.name AS "interventionName",
              p.code AS "participantCode", e.started_on::text AS "startedOn"
         FROM enrolment e JOIN intervention i ON i.id = e.intervention_id JOIN participant p ON p.id = e.participant_id
        WHERE i.association_id = $1 AND e.removed_at IS NULL AND e.exited_on IS NULL
          AND e.started_on < ($3::date - make_interval(months => $2))::date
          AND ${interventionInScope(scope, 'i', params)}
        ORDER BY e.started_on, p.code`,
      params,
    );
  }

  async exitsWithoutIncomeSupport(m: EntityManager, scope: AccessScope, associationId: string) {
    const params: unknown[] = [associationId];
    return this.check(
      m,
      `SELECT e.id AS "enrolmentId", e.intervention_id AS "interventionId", i.name AS "interventionName",
              p.code AS "participantCode", e.exited_on::text AS "exitedOn"
         FROM enrolment e JOIN intervention i ON i.id = e.intervention_id JOIN participant p ON p.id = e.participant_id
        WHERE i.association_id = $1 AND e.removed_at IS NULL AND e.exited_on IS NOT NULL
          AND cardinality(COALESCE(e.income_support_at_exit, '{}')) = 0
          AND ${interventionInScope(scope, 'i', params)}
        ORDER BY e.exited_on DESC, p.code`,
      params,
    );
  }

  async withoutGoals(m: EntityManager, scope: AccessScope, associationId: string, year: number) {
    const params: unknown[] = [associationId, year];
    return this.check(
      m,
      `SELECT i.id AS "interventionId", i.name AS "interventionName", $2::int AS year
         FROM intervention i
        WHERE i.association_id = $1 AND i.kind = 'individual'
          AND i.starts_on <= make_date($2::int, 12, 31) AND (i.ends_on IS NULL OR i.ends_on >= make_date($2::int, 1, 1))
          AND NOT EXISTS (SELECT 1 FROM intervention_goal g WHERE g.intervention_id = i.id AND g.year = $2)
          AND ${interventionInScope(scope, 'i', params)}
        ORDER BY i.name`,
      params,
    );
  }

  /**
   * Codes that differ only in case, spaces or dashes ("ung-17", "UNG 17", "ung17"), among participants with
   * an enrolment the caller can see: a coordinator never learns a code from another insats.
   */
  async similarCodes(m: EntityManager, scope: AccessScope, associationId: string) {
    const params: unknown[] = [associationId];
    return this.check(
      m,
      `WITH visible AS (
         SELECT DISTINCT p.id, p.code FROM participant p
           JOIN enrolment e ON e.participant_id = p.id AND e.removed_at IS NULL
           JOIN intervention i ON i.id = e.intervention_id
          WHERE p.association_id = $1 AND ${interventionInScope(scope, 'i', params)})
       SELECT lower(regexp_replace(code, '[\\s\\-\\u2013]', '', 'g')) AS "normalised",
              array_agg(code ORDER BY code) AS "participantCodes"
         FROM visible GROUP BY 1 HAVING count(*) > 1 ORDER BY 1`,
      params,
    );
  }

  async inactive(m: EntityManager, scope: AccessScope, associationId: string, months: number, today: string) {
    const params: unknown[] = [associationId, months, today];
    return this.check(
      m,
      `SELECT i.id AS "interventionId", i.name AS "interventionName",
              (SELECT max(greatest(e.created_at, e.updated_at)) FROM enrolment e WHERE e.intervention_id = i.id)
                AS "lastRegistrationAt"
         FROM intervention i
        WHERE i.association_id = $1 AND i.kind = 'individual' AND i.starts_on <= $3::date
          AND (i.ends_on IS NULL OR i.ends_on >= $3::date)
          AND i.created_at < ($3::date - make_interval(months => $2))
          AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.intervention_id = i.id
                             AND greatest(e.created_at, e.updated_at) >= ($3::date - make_interval(months => $2)))
          AND ${interventionInScope(scope, 'i', params)}
        ORDER BY i.name`,
      params,
    );
  }

  /** Runs a check's query: the full count, and the first ITEM_LIMIT items. */
  private async check(
    m: EntityManager,
    sql: string,
    params: unknown[],
  ): Promise<{ count: number; items: unknown[] }> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT count(*) OVER ()::int AS "__count", c.* FROM (${sql}) c LIMIT ${ITEM_LIMIT}`,
      params,
    );
    return {
      count: (rows[0]?.__count as number | undefined) ?? 0,
      items: rows.map(({ __count: _, ...item }) => item),
    };
  }
}
