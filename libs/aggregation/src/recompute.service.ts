import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { todayInStockholm } from '@app/domain';
import { AggregationRepository, type ScopedFact } from './aggregation.repository';
import { sinceStartResult, yearResults, scopeYears, type ResultRow } from './scope-results';

// A job that keeps finding fresh marks hands over to the next trigger rather than looping forever.
const MAX_ROUNDS = 5;
const RUN_LOG_DAYS = 90;

/** Turns raw enrolments into stored period results, for one (intervention, year) or for everything. */
@Injectable()
export class RecomputeService {
  private readonly logger = new Logger(RecomputeService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: AggregationRepository,
  ) {}

  /**
   * Recomputes the year's periods and "since start" for the intervention and for its association.
   * Idempotent: exits at once when nothing is dirty; clears the mark only if no write marked it again
   * while computing (then it computes again).
   */
  async recomputeInterventionYear(interventionId: string, year: number): Promise<{ rounds: number }> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const version = await this.repository.dirtyVersion(this.dataSource.manager, interventionId, year);
      if (version === null) return { rounds: round };
      const startedAt = new Date();
      await this.dataSource.transaction(async (tx) => {
        const intervention = await this.repository.intervention(tx, interventionId);
        if (!intervention) return; // deleted meanwhile: its marks went with it (ON DELETE CASCADE)
        await this.repository.lockAssociation(tx, intervention.associationId);
        const today = todayInStockholm();
        const interventions = await this.repository.interventionsOfAssociation(
          tx,
          intervention.associationId,
        );
        const associationFacts = await this.repository.associationFacts(tx, intervention.associationId);
        const facts = associationFacts.filter((f) => f.interventionId === interventionId);
        const associationStart = interventions.map((i) => i.startsOn).sort()[0];
        const rows = [
          ...yearResults('intervention', interventionId, facts, year),
          sinceStartResult('intervention', interventionId, facts, intervention.startsOn, today),
          ...yearResults('association', intervention.associationId, associationFacts, year),
          sinceStartResult(
            'association',
            intervention.associationId,
            associationFacts,
            associationStart,
            today,
          ),
        ];
        await this.repository.upsertResults(tx, rows);
        await this.repository.clearDirty(tx, interventionId, year, version);
        await this.repository.recordRun(tx, {
          kind: 'recompute',
          scopeId: interventionId,
          year,
          startedAt,
          enrolments: associationFacts.length,
          results: rows.length,
        });
      });
    }
    return { rounds: MAX_ROUNDS };
  }

  /** Every result of every association, from the raw rows: the nightly job and the admin's rebuild. */
  async rebuildAll(): Promise<{ associations: number; enrolments: number; results: number }> {
    const totals = { associations: 0, enrolments: 0, results: 0 };
    const startedAt = new Date();
    for (const associationId of await this.repository.associationIds(this.dataSource.manager)) {
      const { enrolments, results } = await this.rebuildAssociation(associationId);
      totals.associations += 1;
      totals.enrolments += enrolments;
      totals.results += results;
    }
    await this.repository.pruneRuns(this.dataSource.manager, RUN_LOG_DAYS);
    await this.repository.recordRun(this.dataSource.manager, {
      kind: 'rebuild',
      scopeId: null,
      year: null,
      startedAt,
      ...totals,
    });
    this.logger.log(
      `Rebuilt ${totals.results} results from ${totals.enrolments} enrolments in ${Date.now() - startedAt.getTime()} ms`,
    );
    return totals;
  }

  async rebuildAssociation(associationId: string): Promise<{ enrolments: number; results: number }> {
    return this.dataSource.transaction(async (tx) => {
      await this.repository.lockAssociation(tx, associationId);
      // Marks read before the facts: any mark made after this point survives and is recomputed later.
      const marks = await this.repository.dirtyMarksOfAssociation(tx, associationId);
      const interventions = await this.repository.interventionsOfAssociation(tx, associationId);
      if (interventions.length === 0) return { enrolments: 0, results: 0 };
      const t0 = Date.now();
      const facts = await this.repository.associationFacts(tx, associationId);
      const t1 = Date.now();
      const today = todayInStockholm();
      const byIntervention = new Map<string, ScopedFact[]>(interventions.map((i) => [i.id, []]));
      for (const f of facts) byIntervention.get(f.interventionId)?.push(f);
      const associationStart = interventions.map((i) => i.startsOn).sort()[0];

      const rows: ResultRow[] = [];
      for (const i of interventions) {
        const own = byIntervention.get(i.id) ?? [];
        for (const year of scopeYears(i.startsOn, today))
          rows.push(...yearResults('intervention', i.id, own, year));
        rows.push(sinceStartResult('intervention', i.id, own, i.startsOn, today));
      }
      for (const year of scopeYears(associationStart, today))
        rows.push(...yearResults('association', associationId, facts, year));
      rows.push(sinceStartResult('association', associationId, facts, associationStart, today));

      const t2 = Date.now();
      await this.repository.upsertResults(tx, rows);
      await this.repository.clearDirtyMarks(tx, marks);
      this.logger.debug(
        `association ${associationId}: load ${t1 - t0} ms, compute ${t2 - t1} ms, write ${Date.now() - t2} ms`,
      );
      return { enrolments: facts.length, results: rows.length };
    });
  }
}
