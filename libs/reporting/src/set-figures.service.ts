import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AggregationRepository, type StoredSetParts } from '@app/aggregation/aggregation.repository';
import type { StoredSinceStartBase } from '@app/aggregation/purged-figures';
import { PurgedFiguresRepository } from '@app/aggregation/purged-figures.repository';
import { sumOfParts } from '@app/aggregation/scope-results';
import {
  addCounts,
  computePeriodCounts,
  exitDays,
  expandCounts,
  median,
  type Period,
  type PeriodCounts,
} from '@app/domain';
import {
  addPeriodKeys,
  computePeriodKeys,
  expandKeys,
  type PeriodKeys,
} from '@app/domain/disclosure-control-cell-key';
import { personCells, personsOfSet, type PersonCells } from '@app/domain/person-overlap';

/** Counts of a chosen set with their cell keys (keys null: a stored part was written before results had keys). */
export interface SetFigures {
  counts: PeriodCounts;
  keys: PeriodKeys | null;
}

/**
 * The figures of a chosen set of an association's insatser (no stored result counts its distinct persons),
 * the same for its exact body and its masked one. A year period is the sum of the insatser's stored results
 * where every one is up to date (summedFromParts); otherwise it is counted from the set's rows, unless
 * retention has deleted rows the period counted (README "Retention"):
 * - a period of a year frozen for some insats of the set is the sum of the insatser's stored results of that
 *   period (fresh when the year was frozen: retention purges only then), distinct persons corrected by the
 *   overlap of insatser stored at the year's first purge, the median over the exit days kept;
 * - since start is the remaining rows' figures plus what the purged rows added, per insats and overlap.
 * So a set's report of a purged period reads as it did before the purge, also masked.
 */
@Injectable()
export class SetFiguresService {
  constructor(
    private readonly aggregation: AggregationRepository,
    private readonly purged: PurgedFiguresRepository,
  ) {}

  async figures(
    m: EntityManager,
    associationId: string,
    interventionIds: readonly string[],
    periods: readonly Period[],
  ): Promise<SetFigures[]> {
    const ids = [...interventionIds];
    const years = periods.filter((p): p is Period & { year: number } => p.year !== null);
    const summed =
      years.length === 0
        ? new Map<string, SetFigures>()
        : summedFromParts(await this.aggregation.storedSetParts(m, associationId, ids, years), years);
    const rest = periods.filter((p) => !summed.has(p.code));
    const counted = rest.length === 0 ? [] : await this.fromRows(m, associationId, ids, rest);
    return periods.map((p) => summed.get(p.code) ?? counted[rest.indexOf(p)]);
  }

  /** The set's figures counted from its rows, or from what retention kept of a purged period (see above). */
  async fromRows(
    m: EntityManager,
    associationId: string,
    interventionIds: readonly string[],
    periods: readonly Period[],
  ): Promise<SetFigures[]> {
    const ids = [...interventionIds];
    const frozenYears = new Set((await this.purged.frozenPairs(m, ids)).map((p) => p.year));
    const frozen = (p: Period) => p.year !== null && frozenYears.has(p.year);
    const fromRows = periods.filter((p) => !frozen(p));
    // Only the set's rows active in a period counted from rows (in SQL).
    const facts =
      fromRows.length === 0
        ? []
        : await this.aggregation.interventionFacts(m, ids, {
            start: fromRows.map((p) => p.start).sort()[0],
            end: fromRows.map((p) => p.end).sort()[fromRows.length - 1],
          });
    const bases = periods.some((p) => p.year === null)
      ? await this.purged.sinceStartBases(m, ids)
      : new Map<string, StoredSinceStartBase>();
    return Promise.all(
      periods.map(async (p): Promise<SetFigures> => {
        if (frozen(p)) return this.fromFrozen(m, associationId, ids, p);
        const counts = computePeriodCounts(facts, p);
        const keys = computePeriodKeys(facts, p);
        const purged = p.year === null ? ids.flatMap((id) => bases.get(id) ?? []) : [];
        if (purged.length === 0) return { counts, keys };
        // Since start after a purge: the rows left plus each insats' purged base, the persons of several
        // insatser of the set taken off by the overlap the purged rows left.
        const sum = addCounts([counts, ...purged.map((b) => b.counts)]);
        const sumKeys = addPeriodKeys([keys, ...purged.map((b) => b.keys)]);
        const overlap = await this.purged.overlap(m, associationId, p.code);
        setPersons(
          sum,
          sumKeys,
          personsOfSet(personCells(sum.persons, sumKeys.persons), overlap, new Set(ids)),
        );
        sum.medianDaysEnrolled = median([...exitDays(facts, p), ...purged.flatMap((b) => b.exitDays)]);
        return { counts: sum, keys: sumKeys };
      }),
    );
  }

  private async fromFrozen(
    m: EntityManager,
    associationId: string,
    ids: string[],
    p: Period,
  ): Promise<SetFigures> {
    const [parts, overlap, medianDays] = await Promise.all([
      this.aggregation.storedParts(m, ids, [p.code]),
      this.purged.overlap(m, associationId, p.code),
      this.purged.medianDaysEnrolled(m, { interventionIds: ids }, p),
    ]);
    // An insats without a result for the period (not started yet) counts nothing, as in its own report.
    const counts = addCounts(parts.map((r) => expandCounts(r.counts)));
    const withKeys = parts.every((r) => r.keys !== null);
    const keys = addPeriodKeys(withKeys ? parts.map((r) => expandKeys(r.keys!)) : []);
    setPersons(counts, keys, personsOfSet(personCells(counts.persons, keys.persons), overlap, new Set(ids)));
    counts.medianDaysEnrolled = medianDays;
    return { counts, keys: withKeys ? keys : null };
  }
}

/**
 * The periods whose figures are the sum of the set's insatser's stored results: no insats of the set has a
 * dirty mark covering the period (so its result counts every committed row) or a year frozen by retention, and
 * each that had started by the period's year has its result, with cell keys. The sum is the recompute's sum of
 * an association's parts (persons in several insatser of the set counted once, the median over their exits):
 * the same figures as counting the set's rows, without reading them.
 */
function summedFromParts(
  stored: StoredSetParts,
  periods: readonly (Period & { year: number })[],
): Map<string, SetFigures> {
  const out = new Map<string, SetFigures>();
  for (const p of periods) {
    const all = stored.parts.filter((x) => x.periodCode === p.code);
    const parts = all.filter((x) => !x.beforeStart);
    if (all.some((x) => x.frozen) || parts.some((x) => x.stale || x.counts === null || x.keys === null))
      continue;
    out.set(
      p.code,
      sumOfParts(
        parts.map((x) => expandCounts(x.counts!)),
        parts.map((x) => expandKeys(x.keys!)),
        stored.overcount.get(p.code),
        stored.medians.get(p.code),
      ),
    );
  }
  return out;
}

function setPersons(counts: PeriodCounts, keys: PeriodKeys, persons: PersonCells): void {
  counts.persons = { active: persons.active.count, new: persons.new.count, exited: persons.exited.count };
  keys.persons = { active: persons.active.key, new: persons.new.key, exited: persons.exited.key };
}
