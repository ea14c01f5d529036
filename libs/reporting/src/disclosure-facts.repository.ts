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

/** A stored period result with the cell keys of its counts (keys null: written before results had keys). */
export interface KeyedResult extends ResultRef {
  counts: Record<string, unknown>;
  keys: Record<string, unknown> | null;
  version: string;
}

/** A stored result's version (alias r): its computed_at to the microsecond, which every recompute changes. */
export const RESULT_VERSION = `to_char(r.computed_at, 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

/**
 * Reads for disclosure control: stored results with their cell keys (what board reports of insatser,
 * associations and regions are masked from), the version of stored results, and, for a chosen set of insatser
 * (which has no stored result), the live enrolments of those insatser with their record keys (the same rows and
 * the same membership as the aggregation's facts).
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

  /** Stored results with their counts, cell keys and versions (one read, so all three belong together). */
  async keyedResults(m: EntityManager, refs: readonly ResultRef[]): Promise<KeyedResult[]> {
    if (refs.length === 0) return [];
    const rows: {
      t: string;
      s: string;
      c: string;
      v: string;
      counts: Record<string, unknown>;
      keys: null;
    }[] = await m.query(
      `SELECT r.scope_type AS t, r.scope_id::text AS s, r.period_code AS c, ${RESULT_VERSION} AS v, r.counts, r.keys
           FROM period_result r
           JOIN unnest($1::text[], $2::uuid[], $3::text[]) AS q(t, s, c)
             ON r.scope_type = q.t AND r.scope_id = q.s AND r.period_code = q.c`,
      [refs.map((x) => x.scopeType), refs.map((x) => x.scopeId), refs.map((x) => x.periodCode)],
    );
    return rows.map((r) => ({
      scopeType: r.t as ResultRef['scopeType'],
      scopeId: r.s,
      periodCode: r.c,
      counts: r.counts,
      keys: r.keys,
      version: r.v,
    }));
  }

  /** The version (computed_at) of each stored result found among `refs`, in one query. */
  async resultVersions(
    m: EntityManager,
    refs: readonly ResultRef[],
  ): Promise<(ResultRef & { version: string })[]> {
    if (refs.length === 0) return [];
    const rows: { t: string; s: string; c: string; v: string }[] = await m.query(
      `SELECT r.scope_type AS t, r.scope_id::text AS s, r.period_code AS c,
              ${RESULT_VERSION} AS v
         FROM period_result r
         JOIN unnest($1::text[], $2::uuid[], $3::text[]) AS q(t, s, c)
           ON r.scope_type = q.t AND r.scope_id = q.s AND r.period_code = q.c`,
      [refs.map((x) => x.scopeType), refs.map((x) => x.scopeId), refs.map((x) => x.periodCode)],
    );
    return rows.map((r) => ({
      scopeType: r.t as ResultRef['scopeType'],
      scopeId: r.s,
      periodCode: r.c,
      version: r.v,
    }));
  }
}

/** The version string of `refs` from the rows found: their versions in the order asked ('-' where missing). */
export function versionOf(
  refs: readonly ResultRef[],
  found: readonly (ResultRef & { version: string })[],
): string {
  const byRef = new Map(found.map((r) => [`${r.scopeType}|${r.scopeId}|${r.periodCode}`, r.version]));
  return refs.map((x) => byRef.get(`${x.scopeType}|${x.scopeId}|${x.periodCode}`) ?? '-').join(',');
}
