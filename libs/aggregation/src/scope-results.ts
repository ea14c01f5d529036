// Which period results a scope has, and computing them: plain functions, no database.
import {
  addCounts,
  compactCounts,
  computePeriodCounts,
  exitDays,
  median,
  periodsOfYear,
  yearOf,
  SINCE_START_CODE,
  type EnrolmentFact,
  type Period,
  type PeriodCounts,
} from '@app/domain';
import {
  addPeriodKeys,
  compactKeys,
  computePeriodKeys,
  subtractKeys,
  type KeyedFact,
  type PeriodKeys,
} from '@app/domain/disclosure-control-cell-key';
import type { PersonOvercount } from './aggregation.repository';

export type ScopeType = 'intervention' | 'association';

export interface ResultRow {
  scopeType: ScopeType;
  scopeId: string;
  periodCode: string;
  year: number | null;
  start: string;
  end: string;
  counts: Record<string, unknown>;
  /** The cell key of every count cell (README "Disclosure control"), in the compact shape of the counts. */
  keys: Record<string, unknown>;
}

/** Facts that can count in any period of the year (active at some point of it). */
export function factsTouchingYear<F extends EnrolmentFact>(facts: readonly F[], year: number): F[] {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  return facts.filter((f) => f.startedOn <= end && (f.exitedOn === null || f.exitedOn >= start));
}

export function sinceStartPeriod(scopeStart: string, today: string): Period {
  return { code: SINCE_START_CODE, kind: 'since_start', start: scopeStart, end: today, year: null };
}

/** The ten periods of each year (quarters, halves, year-to-date, year) for one scope. */
export function yearResults(
  scopeType: ScopeType,
  scopeId: string,
  facts: readonly KeyedFact[],
  year: number,
): ResultRow[] {
  const relevant = factsTouchingYear(facts, year);
  return periodsOfYear(year).map((p) => row(scopeType, scopeId, p, relevant));
}

/**
 * "Since start" of a scope from its rows. After a purge, `purgedExitDays` are the kept days of its purged exits:
 * the median is taken over them and the rows' exits together (the counts get the purged base where they are
 * written: aggregation.repository.ts).
 */
export function sinceStartResult(
  scopeType: ScopeType,
  scopeId: string,
  facts: readonly KeyedFact[],
  scopeStart: string,
  today: string,
  purgedExitDays: readonly number[] = [],
): ResultRow {
  const p = sinceStartPeriod(scopeStart, today);
  const counts = computePeriodCounts(facts, p);
  if (purgedExitDays.length > 0)
    counts.medianDaysEnrolled = median([...exitDays(facts, p), ...purgedExitDays]);
  return resultRow(scopeType, scopeId, p, counts, computePeriodKeys(facts, p));
}

/** Years a scope has results for: from its start to the current year. */
export function scopeYears(scopeStart: string, today: string): number[] {
  const years: number[] = [];
  for (let y = yearOf(scopeStart); y <= yearOf(today); y++) years.push(y);
  return years;
}

function row(scopeType: ScopeType, scopeId: string, p: Period, facts: readonly KeyedFact[]): ResultRow {
  return resultRow(scopeType, scopeId, p, computePeriodCounts(facts, p), computePeriodKeys(facts, p));
}

/** A stored row from counts and cell keys already computed (or summed from parts): the same records. */
export function resultRow(
  scopeType: ScopeType,
  scopeId: string,
  p: Period,
  counts: PeriodCounts,
  keys: PeriodKeys,
): ResultRow {
  return {
    scopeType,
    scopeId,
    periodCode: p.code,
    year: p.year,
    start: p.start,
    end: p.end,
    counts: compactCounts(counts),
    keys: compactKeys(keys, counts),
  };
}

/**
 * The figures of several insatser together (an association, a chosen set) from each one's counts and keys of a
 * period. Cell keys add up over insatser like the counts (disjoint enrolments). Persons add up too, but a person
 * in several insatser is then counted in each: the overcount (and its keys) is taken off. A median does not add
 * up: it is the one of the exits of all of them.
 */
export function sumOfParts(
  counted: PeriodCounts[],
  keyed: PeriodKeys[],
  overcount: PersonOvercount | undefined,
  medianDays: number | undefined,
): { counts: PeriodCounts; keys: PeriodKeys } {
  const counts = addCounts(counted);
  const keys = addPeriodKeys(keyed);
  if (overcount) {
    for (const x of ['active', 'new', 'exited'] as const) {
      counts.persons[x] -= overcount.persons[x];
      keys.persons[x] = subtractKeys(keys.persons[x], overcount.personKeys[x]);
    }
  }
  counts.medianDaysEnrolled = medianDays ?? null;
  return { counts, keys };
}
