import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { KeyedFact } from '@app/domain/disclosure-control-cell-key';

/** An enrolment fact with its record keys and the insats it belongs to. */
export interface ScopedKeyedFact extends KeyedFact {
  interventionId: string;
}

/** Which stored results a masked body depends on: their computed_at is the version its cache entry is for. */
export interface ResultRef {
  scopeType: 'intervention' | 'association';
  scopeId: string;
  periodCode: string;
}

/**
 * Reads for disclosure control: the live enrolments of some insatser with their record keys (the same rows and
 * the same membership as the aggregation's facts), and the version of stored results.
 */
@Injectable()
export class DisclosureFactsRepository {
  /** Facts of the given insatser (a scope's insatser are already checked against the caller's scope). */
  async keyedFacts(m: EntityManager, interventionIds: readonly string[]): Promise<ScopedKeyedFact[]> {
    if (interventionIds.length === 0) return [];
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT e.intervention_id AS i, e.participant_id AS p, e.started_on::text AS s, e.exited_on::text AS x,
              e.gender AS g, e.referring_party AS r, e.age_band AS a, e.education_level AS ed,
              e.municipality_code::text AS mu, e.exit_reason AS er,
              'social_assistance' = ANY(e.income_support_at_start) AS sas,
              COALESCE('social_assistance' = ANY(e.income_support_at_exit), false) AS sax,
              e.disclosure_key::text AS ek, pa.disclosure_key::text AS pk
         FROM enrolment e JOIN participant pa ON pa.id = e.participant_id
        WHERE e.intervention_id = ANY($1::uuid[]) AND e.removed_at IS NULL`,
      [interventionIds],
    );
    return rows.map((r) => ({
      interventionId: r.i as string,
      participantId: r.p as string,
      startedOn: r.s as string,
      exitedOn: r.x as string | null,
      gender: r.g as KeyedFact['gender'],
      referringParty: r.r as KeyedFact['referringParty'],
      ageBand: r.a as KeyedFact['ageBand'],
      educationLevel: r.ed as KeyedFact['educationLevel'],
      municipality: r.mu as string,
      exitReason: r.er as KeyedFact['exitReason'],
      socialAssistanceAtStart: r.sas as boolean,
      socialAssistanceAtExit: r.sax as boolean,
      enrolmentKey: Number(r.ek),
      participantKey: Number(r.pk),
    }));
  }

  /** The version of a set of stored results: their computed_at times, in the order asked ('-' where missing). */
  async resultVersion(m: EntityManager, refs: readonly ResultRef[]): Promise<string> {
    if (refs.length === 0) return '';
    const rows: { t: string; s: string; c: string; v: string }[] = await m.query(
      `SELECT r.scope_type AS t, r.scope_id::text AS s, r.period_code AS c,
              to_char(r.computed_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS v
         FROM period_result r
         JOIN unnest($1::text[], $2::uuid[], $3::text[]) AS q(t, s, c)
           ON r.scope_type = q.t AND r.scope_id = q.s AND r.period_code = q.c`,
      [refs.map((x) => x.scopeType), refs.map((x) => x.scopeId), refs.map((x) => x.periodCode)],
    );
    const found = new Map(rows.map((r) => [`${r.t}|${r.s}|${r.c}`, r.v]));
    return refs.map((x) => found.get(`${x.scopeType}|${x.scopeId}|${x.periodCode}`) ?? '-').join(',');
  }
}
