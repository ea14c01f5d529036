import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AggregationOutbox } from '@app/aggregation/aggregation-outbox';
import { AggregationRepository } from '@app/aggregation/aggregation.repository';
import { purgedFigures } from '@app/aggregation/purged-figures';
import { PurgedFiguresRepository } from '@app/aggregation/purged-figures.repository';
import { AuditService } from '@app/audit/audit.service';
import { todayInStockholm, yearsTouched } from '@app/domain';
import { AppConfig } from '@config/config.module';
import { RetentionRepository } from './retention.repository';

export interface PurgeResult {
  associationId: string;
  enrolments: number;
  participants: number;
  /** Not purged this time: a result it would freeze is missing or a recompute is pending. */
  deferred: boolean;
}

/**
 * Deletes participant-level rows a number of months after exit. The periods they counted in are frozen
 * first (purged_period): their stored results are final, and the aggregation never recomputes them from
 * the rows that are left. It only purges when every such result is stored and fresh. Beside them it keeps
 * the aggregates that the reports which are not stored results need (since start, chosen sets of insatser):
 * see purged-figures.ts.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: RetentionRepository,
    private readonly aggregation: AggregationRepository,
    private readonly purged: PurgedFiguresRepository,
    private readonly outbox: AggregationOutbox,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Every association (or those named), each with its own retention period or the default. */
  async purgeExpired(today = todayInStockholm(), only?: string[]): Promise<PurgeResult[]> {
    const results: PurgeResult[] = [];
    for (const a of await this.repository.associations(this.dataSource.manager)) {
      if (only && !only.includes(a.id)) continue;
      results.push(
        await this.purgeAssociation(a.id, a.retentionMonths ?? this.config.env.RETENTION_MONTHS, today),
      );
    }
    return results;
  }

  async purgeAssociation(
    associationId: string,
    months: number,
    today = todayInStockholm(),
  ): Promise<PurgeResult> {
    const missing: [string, number[]][] = [];
    const remark: [string, number[]][] = [];
    const result = await this.dataSource.transaction(async (tx) => {
      // The aggregation's own lock: no recompute of this association runs while results are frozen.
      await this.aggregation.lockAssociation(tx, associationId);
      const expired = await this.repository.expired(tx, associationId, months, today);
      const done = { associationId, enrolments: 0, participants: 0, deferred: false };
      if (expired.length === 0) return done;

      const frozen = new Map<string, Set<number>>();
      for (const e of expired) {
        if (e.removed) continue; // a withdrawn registration error counts nowhere
        const years = frozen.get(e.interventionId) ?? new Set<number>();
        for (const y of yearsTouched(e.startedOn, e.exitedOn, today)) years.add(y);
        frozen.set(e.interventionId, years);
      }
      const pairs = [...frozen].flatMap(([i, ys]) => [...ys].map((y) => ({ interventionId: i, year: y })));
      const years = [...new Set(pairs.map((p) => p.year))];
      if (await this.repository.pendingMarks(tx, associationId, years)) return { ...done, deferred: true };
      const absent = await this.repository.missingResults(tx, pairs);
      if (absent.length > 0) {
        for (const p of absent) missing.push([p.interventionId, [p.year]]);
        return { ...done, deferred: true };
      }

      // What the reports of the purged rows need afterwards, from all rows before the delete: aggregates
      // only (README "Retention"). Frozen pairs and years are told apart from those frozen by earlier purges,
      // whose figures are kept as they were.
      const interventions = await this.aggregation.interventionsOfAssociation(tx, associationId);
      const frozenBefore = await this.purged.frozenPairs(
        tx,
        interventions.map((i) => i.id),
      );
      const wasFrozen = new Set(frozenBefore.map((p) => `${p.interventionId}/${p.year}`));
      const yearsBefore = new Set(frozenBefore.map((p) => p.year));
      const figures = purgedFigures({
        associationId,
        interventions,
        facts: await this.purged.associationFacts(tx, associationId),
        expired: new Set(expired.map((e) => e.id)),
        newlyFrozen: pairs.filter((p) => !wasFrozen.has(`${p.interventionId}/${p.year}`)),
        newYears: years.filter((y) => !yearsBefore.has(y)),
        today,
      });
      await this.purged.store(tx, associationId, figures);
      await this.repository.freeze(tx, pairs);
      const ids = expired.map((e) => e.id);
      const enrolments = await this.repository.deleteEnrolments(tx, ids);
      const participants = await this.repository.deleteOrphanParticipants(tx, associationId, [
        ...new Set(expired.map((e) => e.participantId)),
      ]);
      await this.audit.record(tx, null, {
        action: 'purge',
        entityType: 'association',
        entityId: associationId,
        associationId,
        // Counts only: what was purged is gone, and the log must not keep it either.
        details: {
          enrolments,
          participants,
          retentionMonths: months,
          exitedBefore: expired[0].cutoff,
          frozenPeriods: pairs.length,
        },
      });
      // A recompute that read the rows before this commit would write since start from them plus the new
      // base: a mark (of a frozen year, so only since start is computed) has it computed again afterwards.
      for (const [interventionId, ys] of frozen) {
        const latest = Math.max(...ys);
        await this.outbox.mark(tx, interventionId, [latest]);
        remark.push([interventionId, [latest]]);
      }
      return { associationId, enrolments, participants, deferred: false };
    });
    for (const [i, ys] of remark) this.outbox.trigger(i, ys);
    // Results that did not exist yet are computed now; the next run can purge.
    if (missing.length > 0) {
      await this.dataSource.transaction(async (tx) => {
        for (const [i, ys] of missing) await this.outbox.mark(tx, i, ys);
      });
      for (const [i, ys] of missing) this.outbox.trigger(i, ys);
    }
    if (result.deferred)
      this.logger.log(`Retention of association ${associationId} deferred until its results are fresh`);
    return result;
  }
}
