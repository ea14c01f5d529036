// What retention keeps of the rows it deletes, computed from all rows just before the delete: plain
// functions, no database (README "Retention"). Everything here is an aggregate: counts, sums of record keys
// modulo 2^48, lists of days enrolled, counts of persons by combination of insatser.
import {
  compactCounts,
  computePeriodCounts,
  exitDays,
  periodsOfYear,
  subtractCounts,
  type PeriodCounts,
} from '@app/domain';
import {
  compactKeys,
  computePeriodKeys,
  subtractPeriodKeys,
  type PeriodKeys,
} from '@app/domain/disclosure-control-cell-key';
import { personCombinations, subtractCombinations, type PersonCombination } from '@app/domain/person-overlap';
import type { InterventionInfo, ScopedFact } from './aggregation.repository';
import { factsTouchingYear, sinceStartPeriod, type ScopeType } from './scope-results';

/** A live enrolment fact with its id: the purge tells the expiring rows from the rest by it. */
export interface PurgeFact extends ScopedFact {
  enrolmentId: string;
}

/** What the purged rows added to a scope's "since start": added to the remaining rows' figures ever after. */
export interface SinceStartBase {
  scopeType: ScopeType;
  scopeId: string;
  /** Compact stored shape (as period_result.counts), without a median. */
  counts: Record<string, unknown>;
  keys: Record<string, unknown>;
  /** Days enrolled of the purged exits, ascending (an insats' own; none for an association). */
  exitDays: number[];
}

export interface PurgedFigures {
  sinceStart: SinceStartBase[];
  /** The change the purged rows made to the association's since-start combinations of insatser. */
  sinceStartOverlap: PersonCombination[];
  /** Per period of each year frozen for the association for the first time: its combinations, all rows. */
  frozenOverlaps: { periodCode: string; combinations: PersonCombination[] }[];
  /** Per period of each newly frozen (insats, year): the days enrolled of its exits, all rows. */
  frozenExitDays: { interventionId: string; periodCode: string; days: number[] }[];
}

/**
 * Since-start figures of all rows minus those of the remaining rows, cell by cell: the base of
 * `aggregation.repository.ts`. Persons (distinct) are the difference of the two distinct counts, so the
 * remaining rows plus the base count every person exactly once as long as the remaining rows of a person who
 * also had purged rows keep counting them (an enrolment withdrawn later, or one dated in the future that
 * starts counting later, would count that person once less, or once more: rare, and never a purged row).
 */
function sinceStartBase(
  scopeType: ScopeType,
  scopeId: string,
  all: readonly PurgeFact[],
  rest: readonly PurgeFact[],
  purged: readonly PurgeFact[],
  scopeStart: string,
  today: string,
): SinceStartBase {
  const p = sinceStartPeriod(scopeStart, today);
  const counts = subtractCounts(computePeriodCounts(all, p), computePeriodCounts(rest, p));
  const keys = subtractPeriodKeys(computePeriodKeys(all, p), computePeriodKeys(rest, p));
  return {
    scopeType,
    scopeId,
    counts: compactBase(counts),
    keys: compactKeys(keys, counts),
    exitDays: scopeType === 'intervention' ? exitDays(purged, p) : [],
  };
}

/** The stored shape without the median (not a sum) and without municipalities that had no purged exit. */
function compactBase(counts: PeriodCounts): Record<string, unknown> {
  const { medianDaysEnrolled: _median, ...compact } = compactCounts(counts);
  const byMunicipality = compact.exitsByMunicipalityAndReason as Record<string, Record<string, number>>;
  compact.exitsByMunicipalityAndReason = Object.fromEntries(
    Object.entries(byMunicipality).filter(([, reasons]) => Object.keys(reasons).length > 0),
  );
  return compact;
}

/**
 * Everything retention keeps of one association's purge. `facts` are all live rows of the association,
 * `expired` the ids about to be deleted, `newlyFrozen` the (insats, year) pairs this purge freezes that were
 * not frozen before, `newYears` the years frozen for the association for the first time.
 */
export function purgedFigures(input: {
  associationId: string;
  interventions: readonly InterventionInfo[];
  facts: readonly PurgeFact[];
  expired: ReadonlySet<string>;
  newlyFrozen: readonly { interventionId: string; year: number }[];
  newYears: readonly number[];
  today: string;
}): PurgedFigures {
  const { associationId, interventions, facts, expired, today } = input;
  const rest = facts.filter((f) => !expired.has(f.enrolmentId));
  const purged = facts.filter((f) => expired.has(f.enrolmentId));
  const own = (rows: readonly PurgeFact[], id: string) => rows.filter((f) => f.interventionId === id);
  const touched = new Set(purged.map((f) => f.interventionId));
  const sinceStart: SinceStartBase[] = [];
  for (const i of interventions) {
    if (!touched.has(i.id)) continue;
    sinceStart.push(
      sinceStartBase(
        'intervention',
        i.id,
        own(facts, i.id),
        own(rest, i.id),
        own(purged, i.id),
        i.startsOn,
        today,
      ),
    );
  }
  const associationStart = interventions.map((i) => i.startsOn).sort()[0];
  let sinceStartOverlap: PersonCombination[] = [];
  if (touched.size > 0) {
    sinceStart.push(
      sinceStartBase('association', associationId, facts, rest, purged, associationStart, today),
    );
    const p = sinceStartPeriod(associationStart, today);
    sinceStartOverlap = subtractCombinations(personCombinations(facts, p), personCombinations(rest, p));
  }
  const frozenOverlaps = input.newYears.flatMap((year) => {
    const relevant = factsTouchingYear(facts, year);
    return periodsOfYear(year).map((p) => ({
      periodCode: p.code,
      combinations: personCombinations(relevant, p),
    }));
  });
  const frozenExitDays = input.newlyFrozen.flatMap(({ interventionId, year }) => {
    const relevant = factsTouchingYear(own(facts, interventionId), year);
    return periodsOfYear(year)
      .map((p) => ({ interventionId, periodCode: p.code, days: exitDays(relevant, p) }))
      .filter((d) => d.days.length > 0);
  });
  return { sinceStart, sinceStartOverlap, frozenOverlaps, frozenExitDays };
}

/** A stored base read back for the incremental path: counts and keys to take off a stored part. */
export interface StoredSinceStartBase {
  counts: PeriodCounts;
  keys: PeriodKeys;
  exitDays: number[];
}
