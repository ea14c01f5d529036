// The counting rules of domain.md ("Periods and metric definitions") as pure functions over enrolment facts.
import {
  AGE_BANDS,
  EDUCATION_LEVELS,
  EXIT_REASONS,
  GENDERS,
  REFERRING_PARTIES,
  exitCategoryOf,
  type AgeBand,
  type EducationLevel,
  type ExitCategory,
  type ExitReason,
  type Gender,
  type ReferringParty,
} from './codes';
import { daysBetween } from './calendar-date';

/** What the aggregation needs of one live (not withdrawn) enrolment. No participant attributes beyond these. */
export interface EnrolmentFact {
  participantId: string;
  startedOn: string;
  exitedOn: string | null;
  gender: Gender;
  referringParty: ReferringParty;
  ageBand: AgeBand;
  educationLevel: EducationLevel;
  municipality: string;
  exitReason: ExitReason | null;
  socialAssistanceAtStart: boolean;
  socialAssistanceAtExit: boolean;
}

export interface DateRange {
  start: string;
  end: string;
}

export type GenderCounts = Record<Gender | 'total', number>;
export type GenderShares = Record<Gender | 'total', number | null>;

export interface PeriodCounts {
  active: GenderCounts;
  new: GenderCounts;
  exited: GenderCounts;
  exitsByReason: Record<ExitReason, GenderCounts>;
  newByReferringParty: Record<ReferringParty, GenderCounts>;
  newByAgeBand: Record<AgeBand, GenderCounts>;
  newByEducationLevel: Record<EducationLevel, GenderCounts>;
  newByMunicipality: Record<string, GenderCounts>;
  exitsByMunicipalityAndReason: Record<string, Record<ExitReason, number>>;
  socialAssistance: { atStart: number; atExit: number };
  medianDaysEnrolled: number | null;
  /** Distinct participants (persons) beside enrolments (participations); association level. */
  persons: { active: number; new: number; exited: number };
}

export const isActive = (e: EnrolmentFact, p: DateRange) =>
  e.startedOn <= p.end && (e.exitedOn === null || e.exitedOn >= p.start);
export const isNew = (e: EnrolmentFact, p: DateRange) => e.startedOn >= p.start && e.startedOn <= p.end;
export const isExited = (e: EnrolmentFact, p: DateRange) =>
  e.exitedOn !== null && e.exitedOn >= p.start && e.exitedOn <= p.end;

export function emptyGenderCounts(): GenderCounts {
  return { woman: 0, man: 0, unspecified: 0, total: 0 };
}

function byCode<K extends string>(codes: readonly K[]): Record<K, GenderCounts> {
  return Object.fromEntries(codes.map((c) => [c, emptyGenderCounts()])) as Record<K, GenderCounts>;
}

function reasonCounts(): Record<ExitReason, number> {
  return Object.fromEntries(EXIT_REASONS.map((r) => [r, 0])) as Record<ExitReason, number>;
}

export function emptyPeriodCounts(): PeriodCounts {
  return {
    active: emptyGenderCounts(),
    new: emptyGenderCounts(),
    exited: emptyGenderCounts(),
    exitsByReason: byCode(EXIT_REASONS),
    newByReferringParty: byCode(REFERRING_PARTIES),
    newByAgeBand: byCode(AGE_BANDS),
    newByEducationLevel: byCode(EDUCATION_LEVELS),
    newByMunicipality: {},
    exitsByMunicipalityAndReason: {},
    socialAssistance: { atStart: 0, atExit: 0 },
    medianDaysEnrolled: null,
    persons: { active: 0, new: 0, exited: 0 },
  };
}

function add(counts: GenderCounts, gender: Gender): void {
  counts[gender] += 1;
  counts.total += 1;
}

/** Median of a list of numbers (mean of the two middle values for an even count); null when empty. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Days enrolled of each enrolment that exited in the period (what its median is taken over), ascending. */
export function exitDays(facts: readonly EnrolmentFact[], period: DateRange): number[] {
  return facts
    .filter((e) => isExited(e, period))
    .map((e) => daysBetween(e.startedOn, e.exitedOn as string))
    .sort((a, b) => a - b);
}

/** Every count of domain.md for one scope (the facts given) and one period. */
export function computePeriodCounts(facts: readonly EnrolmentFact[], period: DateRange): PeriodCounts {
  const c = emptyPeriodCounts();
  const days: number[] = [];
  const persons = { active: new Set<string>(), new: new Set<string>(), exited: new Set<string>() };
  for (const e of facts) {
    if (!isActive(e, period)) continue; // new and exited enrolments are always active too
    add(c.active, e.gender);
    persons.active.add(e.participantId);
    if (isNew(e, period)) {
      add(c.new, e.gender);
      persons.new.add(e.participantId);
      add(c.newByReferringParty[e.referringParty], e.gender);
      add(c.newByAgeBand[e.ageBand], e.gender);
      add(c.newByEducationLevel[e.educationLevel], e.gender);
      add((c.newByMunicipality[e.municipality] ??= emptyGenderCounts()), e.gender);
    }
    if (isExited(e, period)) {
      const reason = e.exitReason as ExitReason;
      add(c.exited, e.gender);
      persons.exited.add(e.participantId);
      add(c.exitsByReason[reason], e.gender);
      (c.exitsByMunicipalityAndReason[e.municipality] ??= reasonCounts())[reason] += 1;
      if (e.socialAssistanceAtStart) c.socialAssistance.atStart += 1;
      if (e.socialAssistanceAtExit) c.socialAssistance.atExit += 1;
      days.push(daysBetween(e.startedOn, e.exitedOn as string));
    }
  }
  c.medianDaysEnrolled = median(days);
  c.persons = { active: persons.active.size, new: persons.new.size, exited: persons.exited.size };
  return c;
}

/** Share of exits in an exit category, per gender and in total; null where nobody exited. */
export function exitShare(
  counts: Pick<PeriodCounts, 'exited' | 'exitsByReason'>,
  category: ExitCategory,
): GenderShares {
  const inCategory = emptyGenderCounts();
  for (const reason of EXIT_REASONS) {
    if (exitCategoryOf(reason) !== category) continue;
    for (const g of [...GENDERS, 'total'] as const) inCategory[g] += counts.exitsByReason[reason][g];
  }
  const share = (g: Gender | 'total') => (counts.exited[g] === 0 ? null : inCategory[g] / counts.exited[g]);
  return {
    woman: share('woman'),
    man: share('man'),
    unspecified: share('unspecified'),
    total: share('total'),
  };
}

/**
 * Stored form: zero cells are left out (most are zero for a small insats in a quarter), and filled
 * again on reading, so a stored result stays small and a read always has every code.
 */
export function compactCounts(c: PeriodCounts): Record<string, unknown> {
  const compactMap = (m: Record<string, GenderCounts>) =>
    Object.fromEntries(Object.entries(m).filter(([, v]) => v.total > 0));
  return {
    ...c,
    exitsByReason: compactMap(c.exitsByReason),
    newByReferringParty: compactMap(c.newByReferringParty),
    newByAgeBand: compactMap(c.newByAgeBand),
    newByEducationLevel: compactMap(c.newByEducationLevel),
    exitsByMunicipalityAndReason: Object.fromEntries(
      Object.entries(c.exitsByMunicipalityAndReason).map(([m, reasons]) => [
        m,
        Object.fromEntries(Object.entries(reasons).filter(([, n]) => n > 0)),
      ]),
    ),
  };
}

export function expandCounts(stored: Record<string, unknown>): PeriodCounts {
  const c = emptyPeriodCounts();
  const s = stored as Partial<PeriodCounts>;
  const fill = <K extends string>(
    target: Record<K, GenderCounts>,
    source?: Partial<Record<K, GenderCounts>>,
  ) => {
    for (const [k, v] of Object.entries(source ?? {}) as [K, GenderCounts][]) target[k] = { ...v };
  };
  c.active = { ...c.active, ...s.active };
  c.new = { ...c.new, ...s.new };
  c.exited = { ...c.exited, ...s.exited };
  fill(c.exitsByReason, s.exitsByReason);
  fill(c.newByReferringParty, s.newByReferringParty);
  fill(c.newByAgeBand, s.newByAgeBand);
  fill(c.newByEducationLevel, s.newByEducationLevel);
  c.newByMunicipality = { ...s.newByMunicipality };
  for (const [m, reasons] of Object.entries(s.exitsByMunicipalityAndReason ?? {})) {
    c.exitsByMunicipalityAndReason[m] = { ...reasonCounts(), ...reasons };
  }
  c.socialAssistance = { ...c.socialAssistance, ...s.socialAssistance };
  c.medianDaysEnrolled = s.medianDaysEnrolled ?? null;
  c.persons = { ...c.persons, ...s.persons };
  return c;
}

/** Every count cell of a period (counts, or their cell keys: the same shape), without the median. */
export type CountCells = Omit<PeriodCounts, 'medianDaysEnrolled'>;

/**
 * Two sets of cells combined cell by cell (a sum, a difference, modulo for keys): the one walk over the shape of
 * a period's counts, so adding and subtracting counts and keys cannot drift apart. A cell missing on one side is 0.
 */
export function combineCells(a: CountCells, b: CountCells, op: (x: number, y: number) => number): CountCells {
  const split = (x?: GenderCounts, y?: GenderCounts): GenderCounts => {
    const out = emptyGenderCounts();
    for (const g of [...GENDERS, 'total'] as const) out[g] = op(x?.[g] ?? 0, y?.[g] ?? 0);
    return out;
  };
  const map = <K extends string>(x: Record<K, GenderCounts>, y: Record<K, GenderCounts>) =>
    Object.fromEntries(
      [...new Set([...Object.keys(x), ...Object.keys(y)])].map((k) => [k, split(x[k as K], y[k as K])]),
    ) as Record<K, GenderCounts>;
  const byMunicipality: Record<string, Record<ExitReason, number>> = {};
  for (const m of new Set([
    ...Object.keys(a.exitsByMunicipalityAndReason),
    ...Object.keys(b.exitsByMunicipalityAndReason),
  ])) {
    const target = (byMunicipality[m] = reasonCounts());
    for (const r of EXIT_REASONS)
      target[r] = op(
        a.exitsByMunicipalityAndReason[m]?.[r] ?? 0,
        b.exitsByMunicipalityAndReason[m]?.[r] ?? 0,
      );
  }
  return {
    active: split(a.active, b.active),
    new: split(a.new, b.new),
    exited: split(a.exited, b.exited),
    exitsByReason: map(a.exitsByReason, b.exitsByReason),
    newByReferringParty: map(a.newByReferringParty, b.newByReferringParty),
    newByAgeBand: map(a.newByAgeBand, b.newByAgeBand),
    newByEducationLevel: map(a.newByEducationLevel, b.newByEducationLevel),
    newByMunicipality: map(a.newByMunicipality, b.newByMunicipality),
    exitsByMunicipalityAndReason: byMunicipality,
    socialAssistance: {
      atStart: op(a.socialAssistance.atStart, b.socialAssistance.atStart),
      atExit: op(a.socialAssistance.atExit, b.socialAssistance.atExit),
    },
    persons: {
      active: op(a.persons.active, b.persons.active),
      new: op(a.persons.new, b.persons.new),
      exited: op(a.persons.exited, b.persons.exited),
    },
  };
}

/**
 * Sums counts of disjoint scopes (e.g. the associations of a region). Every count adds up, persons too
 * (they are distinct within each scope, as the regional view counts them); the median does not, so it is
 * left null for the caller to compute from the raw durations.
 */
export function addCounts(parts: readonly PeriodCounts[]): PeriodCounts {
  const sum = parts.reduce<CountCells>(
    (acc, c) => combineCells(acc, c, (x, y) => x + y),
    emptyPeriodCounts(),
  );
  return { ...sum, medianDaysEnrolled: null };
}

/**
 * Counts of a set of enrolments minus those of a subset, cell by cell (persons too): what retention keeps of
 * the purged rows (all rows' counts minus the remaining rows'). `addCounts([rest, difference])` gives `all`
 * again, but for the median, which does not subtract: it is left null.
 */
export function subtractCounts(all: PeriodCounts, rest: PeriodCounts): PeriodCounts {
  return { ...combineCells(all, rest, (x, y) => x - y), medianDaysEnrolled: null };
}
