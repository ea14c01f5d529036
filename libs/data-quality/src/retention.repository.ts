import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface ExpiredEnrolment {
  id: string;
  interventionId: string;
  participantId: string;
  startedOn: string;
  exitedOn: string | null;
  removed: boolean;
  cutoff: string;
}

/** Named queries of retention: what has expired, whether its results are safe, and the deletion. */
@Injectable()
export class RetentionRepository {
  async associations(m: EntityManager): Promise<{ id: string; retentionMonths: number | null }[]> {
    const rows = await m.query(`SELECT id, retention_months FROM association ORDER BY id`);
    return rows.map((r: { id: string; retention_months: number | null }) => ({
      id: r.id,
      retentionMonths: r.retention_months,
    }));
  }

  async retentionMonths(m: EntityManager, associationId: string): Promise<number | null> {
    const [row] = await m.query(`SELECT retention_months FROM association WHERE id = $1`, [associationId]);
    return row?.retention_months ?? null;
  }

  async setRetentionMonths(m: EntityManager, associationId: string, months: number | null): Promise<void> {
    await m.query(`UPDATE association SET retention_months = $2, updated_at = now() WHERE id = $1`, [
      associationId,
      months,
    ]);
  }

  /** Exited (or withdrawn) more than `months` before today. */
  async expired(
    m: EntityManager,
    associationId: string,
    months: number,
    today: string,
  ): Promise<ExpiredEnrolment[]> {
    const rows = await m.query(
      `WITH c AS (SELECT ($3::date - make_interval(months => $2))::date AS cutoff)
       SELECT e.id, e.intervention_id, e.participant_id, e.started_on::text AS started_on,
              e.exited_on::text AS exited_on, e.removed_at IS NOT NULL AS removed, c.cutoff::text AS cutoff
         FROM enrolment e JOIN intervention i ON i.id = e.intervention_id CROSS JOIN c
        WHERE i.association_id = $1
          AND (e.exited_on < c.cutoff OR (e.removed_at IS NOT NULL AND e.removed_at < c.cutoff))
        FOR UPDATE OF e`,
      [associationId, months, today],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      interventionId: r.intervention_id as string,
      participantId: r.participant_id as string,
      startedOn: r.started_on as string,
      exitedOn: r.exited_on as string | null,
      removed: r.removed as boolean,
      cutoff: r.cutoff as string,
    }));
  }

  /** Any recompute pending for the association in these years (its totals would be frozen too). */
  async pendingMarks(m: EntityManager, associationId: string, years: number[]): Promise<boolean> {
    const rows = await m.query(
      `SELECT 1 FROM aggregation_dirty d JOIN intervention i ON i.id = d.intervention_id
        WHERE i.association_id = $1 AND d.year = ANY($2::int[]) LIMIT 1`,
      [associationId, years],
    );
    return rows.length > 0;
  }

  /** (insats, year) pairs without a stored year result. */
  async missingResults(
    m: EntityManager,
    pairs: { interventionId: string; year: number }[],
  ): Promise<{ interventionId: string; year: number }[]> {
    const rows: { i: string; y: number }[] = await m.query(
      `SELECT x.i, x.y FROM unnest($1::uuid[], $2::int[]) AS x(i, y)
        WHERE NOT EXISTS (SELECT 1 FROM period_result r WHERE r.scope_type = 'intervention' AND r.scope_id = x.i
                             AND r.period_code = x.y::text)`,
      [pairs.map((p) => p.interventionId), pairs.map((p) => p.year)],
    );
    return rows.map((r) => ({ interventionId: r.i, year: r.y }));
  }

  async freeze(m: EntityManager, pairs: { interventionId: string; year: number }[]): Promise<void> {
    await m.query(
      `INSERT INTO purged_period (intervention_id, year) SELECT * FROM unnest($1::uuid[], $2::int[])
       ON CONFLICT DO NOTHING`,
      [pairs.map((p) => p.interventionId), pairs.map((p) => p.year)],
    );
  }

  /** Deletes the enrolments, and scrubs their participant codes from the audit log (counts stay). */
  async deleteEnrolments(m: EntityManager, ids: string[]): Promise<number> {
    await m.query(
      `UPDATE audit_log SET details = details - 'participantCode' - 'previousParticipantCode'
        WHERE entity_type = 'enrolment' AND entity_id = ANY($1::text[])`,
      [ids],
    );
    const [, count] = await m.query(`DELETE FROM enrolment WHERE id = ANY($1::uuid[])`, [ids]);
    return count;
  }

  async deleteOrphanParticipants(m: EntityManager, associationId: string, ids: string[]): Promise<number> {
    const [, count] = await m.query(
      `DELETE FROM participant p WHERE p.association_id = $1 AND p.id = ANY($2::uuid[])
          AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.participant_id = p.id)`,
      [associationId, ids],
    );
    return count;
  }
}
