import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * One cheap read that changes whenever anything the board dashboard shows may have changed: the newest
 * stored result of the association and its insatser, the pending recompute marks, and their goals.
 */
@Injectable()
export class DashboardFingerprintRepository {
  async fingerprint(m: EntityManager, associationId: string, interventionIds: string[]): Promise<string> {
    const [row] = await m.query(
      `SELECT concat_ws('|',
                (SELECT max(computed_at)::text FROM period_result
                  WHERE scope_type IN ('intervention', 'association') AND scope_id = ANY($1::uuid[])),
                (SELECT count(*)::text || ':' || coalesce(sum(version), 0)::text FROM aggregation_dirty
                  WHERE intervention_id = ANY($2::uuid[])),
                (SELECT md5(string_agg(g::text, ',' ORDER BY g.intervention_id, g.year)) FROM intervention_goal g
                  WHERE g.intervention_id = ANY($2::uuid[]))) AS fingerprint`,
      [[associationId, ...interventionIds], interventionIds],
    );
    return row.fingerprint as string;
  }
}
