// Disclosure control by the cell-key method (ABS TableBuilder, Eurostat's cell-key method), the rule for every
// count a board member or a publication receives (domain.md "Disclosure control"; README "Disclosure control").
//
// Every record (an enrolment, and a participant for counts of persons) has a fixed random record key, drawn
// once when the row is made and never shown. A cell's key is the sum of its contributors' record keys modulo
// 2^48, so a cell's key depends only on which records it counts: the same cell reads the same in every report,
// scope and period that contains it, and a different set of records gives an unrelated key. The published
// value is a pure function of (true value, cell key):
//   0                → 0           (zero stays zero)
//   1 … k−1          → "<k"        (a small count is never shown, not even perturbed)
//   x ≥ k            → x + n       where n is drawn from the p-table by the cell key; shown as "<k" if x + n < k
// The p-table is a two-sided geometric distribution (P(n) ∝ α^|n|, α = 1/4) cut at ±NOISE_LIMIT.
//
// Why differences give noise and never a small count: take any record r counted in a cell, and a database with
// one more record just like r (a new person). Every table of that database satisfies every linear relation a
// reader could form (association = Σ insatser, H1 = Q1 + Q2, year = H1 + H2, YTD, margins), each cell r
// touches is one higher, every other cell is unchanged, and each published value is still a possible output
// for the higher value (a published x + n ≥ k is (x + 1) + (n − 1); "<k" stays possible), unless some touched
// cell drew exactly n = −NOISE_LIMIT (probability below 10⁻¹² per cell). So no combination of published
// tables can pin any non-zero count; a solver over all of them finds every small count at least two-valued.

import { hash } from 'node:crypto';
import {
  AGE_BANDS,
  EDUCATION_LEVELS,
  EXIT_REASONS,
  GENDERS,
  REFERRING_PARTIES,
  exitCategoryOf,
  type ExitCategory,
  type ExitReason,
} from './codes';
import {
  combineCells,
  isActive,
  isExited,
  isNew,
  type DateRange,
  type CountCells,
  type EnrolmentFact,
  type GenderCounts,
} from './metrics';

/** Record keys and cell keys are integers in [0, 2^48): exact in a double, and a sum of two stays exact. */
export const CELL_KEY_MODULUS = 2 ** 48;
/** Ratio of the two-sided geometric p-table: P(n) = (1 − α)/(1 + α) · α^|n|. */
export const NOISE_RATIO = 0.25;
/** Largest noise the p-table gives; the tail beyond it (mass ≈ 10⁻¹²) is folded onto it. */
export const NOISE_LIMIT = 20;

/** The sum of two keys modulo 2^48: a cell key of the union of two disjoint sets of records. */
export function addKeys(a: number, b: number): number {
  return (a + b) % CELL_KEY_MODULUS;
}

/** The key of a set minus a subset of it: the inverse of `addKeys`, so (a − b) + b = a modulo 2^48. */
export function subtractKeys(a: number, b: number): number {
  return (((a - b) % CELL_KEY_MODULUS) + CELL_KEY_MODULUS) % CELL_KEY_MODULUS;
}

/** `key` added `times` times (an integer, may be negative) modulo 2^48; exact, whatever the product's size. */
export function multiplyKey(key: number, times: number): number {
  const m = BigInt(CELL_KEY_MODULUS);
  return Number((((BigInt(key) * BigInt(times)) % m) + m) % m);
}

/** Checks a record key read from storage. */
export function assertRecordKey(key: number): void {
  if (!Number.isSafeInteger(key) || key < 0 || key >= CELL_KEY_MODULUS) {
    throw new RangeError(`A record key must be an integer in [0, 2^48), got ${key}`);
  }
}

// Cumulative thresholds over [0, 2^48) of |n| = 0, 1, …, NOISE_LIMIT − 1 (the rest is NOISE_LIMIT).
const MAGNITUDE_THRESHOLDS: number[] = (() => {
  const thresholds: number[] = [];
  let cumulative = 0;
  for (let m = 0; m < NOISE_LIMIT; m++) {
    const p =
      m === 0
        ? (1 - NOISE_RATIO) / (1 + NOISE_RATIO)
        : (2 * (1 - NOISE_RATIO) * NOISE_RATIO ** m) / (1 + NOISE_RATIO);
    cumulative += p;
    thresholds.push(Math.floor(cumulative * CELL_KEY_MODULUS));
  }
  return thresholds;
})();

/** The probability the p-table gives to each noise value −NOISE_LIMIT … NOISE_LIMIT (for tests and docs). */
export function noiseProbabilities(): Map<number, number> {
  const result = new Map<number, number>();
  let previous = 0;
  MAGNITUDE_THRESHOLDS.forEach((threshold, m) => {
    const mass = (threshold - previous) / CELL_KEY_MODULUS;
    previous = threshold;
    if (m === 0) result.set(0, mass);
    else {
      result.set(m, mass / 2);
      result.set(-m, mass / 2);
    }
  });
  const tail = (CELL_KEY_MODULUS - previous) / CELL_KEY_MODULUS;
  result.set(NOISE_LIMIT, tail / 2);
  result.set(-NOISE_LIMIT, tail / 2);
  return result;
}

/**
 * The p-table lookup: the noise for a cell of true value `value` and cell key `cellKey`. The key is mixed with
 * the value through SHA-256, so noise of cells whose keys are related (a margin's key is the sum of its parts'
 * keys) is unrelated, and two cells with the same records (and so the same value) get the same noise.
 */
export function cellNoise(value: number, cellKey: number): number {
  // One-shot hash: the same SHA-256 digest as createHash(…).update(…).digest(), at about half the cost.
  const digest = hash('sha256', `${cellKey}:${value}`, 'buffer');
  const draw = digest.readUIntBE(0, 6); // 48 bits, uniform in [0, 2^48)
  const negative = (digest[6] & 1) === 1;
  let magnitude = MAGNITUDE_THRESHOLDS.findIndex((threshold) => draw < threshold);
  if (magnitude === -1) magnitude = NOISE_LIMIT;
  return negative ? -magnitude : magnitude;
}

/** The published form of a count of true value `value` (see the top of this file). */
export function publishCount(value: number, cellKey: number, k: number): number | string {
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`Disclosure threshold must be an integer >= 1, got ${k}`);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`A count must be a non-negative integer, got ${value}`);
  assertRecordKey(cellKey);
  if (value === 0) return 0;
  if (value < k) return `<${k}`;
  const published = value + cellNoise(value, cellKey);
  return published < k ? `<${k}` : published;
}

/** A count cell with its cell key (the sum modulo 2^48 of its contributors' record keys). */
export interface KeyedCount {
  value: number;
  key: number;
}

/**
 * The rule for any set of count cells (report tables, survey answers …): each cell is published on its own by
 * `publishCount`, so callers only need every cell's true value and cell key, whatever the table's layout.
 */
export function publishCells<K extends string>(
  cells: Readonly<Record<K, KeyedCount>>,
  k: number,
): Record<K, number | string> {
  const published = {} as Record<K, number | string>;
  for (const name of Object.keys(cells) as K[])
    published[name] = publishCount(cells[name].value, cells[name].key, k);
  return published;
}

/**
 * Every true value that could have been published as `published` (an inclusive range; `max` is null for no
 * upper bound): what a reader who knows this method can conclude from one cell. Used by solvers in tests.
 */
export function possibleTrueValues(
  published: number | string,
  k: number,
): { min: number; max: number | null } {
  if (published === 0) return { min: 0, max: 0 };
  if (published === `<${k}`) return { min: 1, max: k - 1 + NOISE_LIMIT };
  if (typeof published !== 'number' || !Number.isInteger(published) || published < k)
    throw new RangeError(`Not a value this method publishes with k = ${k}: ${String(published)}`);
  return { min: Math.max(k, published - NOISE_LIMIT), max: published + NOISE_LIMIT };
}

/**
 * A share to publish, from published counts only (so it reveals nothing they do not): null when the
 * denominator is 0 or "<k", or the numerator is "<k"; never above 1, since perturbed counts need not nest.
 */
export function publishedShare(numerator: number | string, denominator: number | string): number | null {
  if (typeof numerator !== 'number' || typeof denominator !== 'number' || denominator === 0) return null;
  return Math.min(1, numerator / denominator);
}

/** A record that can contribute to report cells: the aggregation's fact plus the two record keys. */
export interface KeyedFact extends EnrolmentFact {
  /** The enrolment's record key: counts of participations. */
  enrolmentKey: number;
  /** The participant's record key: counts of distinct persons. */
  participantKey: number;
}

type GenderKeys = GenderCounts;

/** Cell keys in the shape of `PeriodCounts` (no median: it is not a count); each key a sum mod 2^48. */
export type PeriodKeys = CountCells;

const emptyGenderKeys = (): GenderKeys => ({ woman: 0, man: 0, unspecified: 0, total: 0 });
const byCode = <K extends string>(codes: readonly K[]) =>
  Object.fromEntries(codes.map((c) => [c, emptyGenderKeys()])) as Record<K, GenderKeys>;
const reasonKeys = () => Object.fromEntries(EXIT_REASONS.map((r) => [r, 0])) as Record<ExitReason, number>;

export function emptyPeriodKeys(): PeriodKeys {
  return {
    active: emptyGenderKeys(),
    new: emptyGenderKeys(),
    exited: emptyGenderKeys(),
    exitsByReason: byCode(EXIT_REASONS),
    newByReferringParty: byCode(REFERRING_PARTIES),
    newByAgeBand: byCode(AGE_BANDS),
    newByEducationLevel: byCode(EDUCATION_LEVELS),
    newByMunicipality: {},
    exitsByMunicipalityAndReason: {},
    socialAssistance: { atStart: 0, atExit: 0 },
    persons: { active: 0, new: 0, exited: 0 },
  };
}

function addTo(keys: GenderKeys, fact: KeyedFact): void {
  keys[fact.gender] = addKeys(keys[fact.gender], fact.enrolmentKey);
  keys.total = addKeys(keys.total, fact.enrolmentKey);
}

/**
 * The cell keys of every count of `computePeriodCounts(facts, period)`: the same membership rules, summing
 * record keys instead of counting. Persons are distinct participants, each key counted once per cell.
 */
export function computePeriodKeys(facts: readonly KeyedFact[], period: DateRange): PeriodKeys {
  const c = emptyPeriodKeys();
  const persons = {
    active: new Map<string, number>(),
    new: new Map<string, number>(),
    exited: new Map<string, number>(),
  };
  for (const e of facts) {
    assertRecordKey(e.enrolmentKey);
    assertRecordKey(e.participantKey);
    if (!isActive(e, period)) continue;
    addTo(c.active, e);
    persons.active.set(e.participantId, e.participantKey);
    if (isNew(e, period)) {
      addTo(c.new, e);
      persons.new.set(e.participantId, e.participantKey);
      addTo(c.newByReferringParty[e.referringParty], e);
      addTo(c.newByAgeBand[e.ageBand], e);
      addTo(c.newByEducationLevel[e.educationLevel], e);
      addTo((c.newByMunicipality[e.municipality] ??= emptyGenderKeys()), e);
    }
    if (isExited(e, period)) {
      const reason = e.exitReason as ExitReason;
      addTo(c.exited, e);
      persons.exited.set(e.participantId, e.participantKey);
      addTo(c.exitsByReason[reason], e);
      const byReason = (c.exitsByMunicipalityAndReason[e.municipality] ??= reasonKeys());
      byReason[reason] = addKeys(byReason[reason], e.enrolmentKey);
      if (e.socialAssistanceAtStart)
        c.socialAssistance.atStart = addKeys(c.socialAssistance.atStart, e.enrolmentKey);
      if (e.socialAssistanceAtExit)
        c.socialAssistance.atExit = addKeys(c.socialAssistance.atExit, e.enrolmentKey);
    }
  }
  const sum = (m: Map<string, number>) => [...m.values()].reduce(addKeys, 0);
  c.persons = { active: sum(persons.active), new: sum(persons.new), exited: sum(persons.exited) };
  return c;
}

/**
 * Keys of a sum of scopes (a region = Σ associations): cell by cell, like `addCounts`. A person in two
 * associations is counted in both, and so is its key.
 */
export function addPeriodKeys(parts: readonly PeriodKeys[]): PeriodKeys {
  return parts.reduce<PeriodKeys>((acc, p) => combineCells(acc, p, addKeys), emptyPeriodKeys());
}

/**
 * Keys of a set of records minus those of a subset (what retention keeps of the purged records: all rows'
 * keys minus the remaining rows' keys), cell by cell; `addPeriodKeys([rest, difference])` gives `all` again.
 */
export function subtractPeriodKeys(all: PeriodKeys, rest: PeriodKeys): PeriodKeys {
  return combineCells(all, rest, subtractKeys);
}

/** The key of the exits in an exit category (the numerator of its share): the sum of its reasons' keys. */
export function categoryKeys(keys: Pick<PeriodKeys, 'exitsByReason'>, category: ExitCategory): GenderKeys {
  const out = emptyGenderKeys();
  for (const r of EXIT_REASONS) {
    if (exitCategoryOf(r) !== category) continue;
    for (const g of [...GENDERS, 'total'] as const) out[g] = addKeys(out[g], keys.exitsByReason[r][g]);
  }
  return out;
}

/**
 * Stored form of a result's cell keys, beside its compact counts (`compactCounts`): a breakdown keeps only the
 * codes whose count is non-zero (an empty cell's key is 0), so the TypeScript recompute and the SQL rebuild
 * write the same document. Lossless: `expandKeys` fills every left-out cell with 0 again.
 */
export function compactKeys(keys: PeriodKeys, counts: PeriodCountsLike): Record<string, unknown> {
  const keep = (map: Record<string, GenderKeys>, present: Record<string, { total: number }>) =>
    Object.fromEntries(
      Object.entries(present)
        .filter(([, v]) => v.total > 0)
        .map(([code]) => [code, { ...(map[code] ?? emptyGenderKeys()) }]),
    );
  return {
    active: { ...keys.active },
    new: { ...keys.new },
    exited: { ...keys.exited },
    exitsByReason: keep(keys.exitsByReason, counts.exitsByReason),
    newByReferringParty: keep(keys.newByReferringParty, counts.newByReferringParty),
    newByAgeBand: keep(keys.newByAgeBand, counts.newByAgeBand),
    newByEducationLevel: keep(keys.newByEducationLevel, counts.newByEducationLevel),
    newByMunicipality: keep(keys.newByMunicipality, counts.newByMunicipality),
    exitsByMunicipalityAndReason: Object.fromEntries(
      Object.entries(counts.exitsByMunicipalityAndReason)
        .filter(([, reasons]) => Object.values(reasons).some((n) => n > 0))
        .map(([m, reasons]) => [
          m,
          Object.fromEntries(
            Object.entries(reasons)
              .filter(([, n]) => n > 0)
              .map(([r]) => [r, keys.exitsByMunicipalityAndReason[m]?.[r as ExitReason] ?? 0]),
          ),
        ]),
    ),
    socialAssistance: { ...keys.socialAssistance },
    persons: { ...keys.persons },
  };
}

/** The counts `compactKeys` needs to know which cells are non-zero (a `PeriodCounts`). */
export interface PeriodCountsLike {
  exitsByReason: Record<string, { total: number }>;
  newByReferringParty: Record<string, { total: number }>;
  newByAgeBand: Record<string, { total: number }>;
  newByEducationLevel: Record<string, { total: number }>;
  newByMunicipality: Record<string, { total: number }>;
  exitsByMunicipalityAndReason: Record<string, Record<string, number>>;
}

/** Cell keys from their stored form; every key is checked to be one this method can have made. */
export function expandKeys(stored: Record<string, unknown>): PeriodKeys {
  const out = emptyPeriodKeys();
  const s = stored as Partial<PeriodKeys>;
  const key = (x: unknown) => {
    const n = Number(x ?? 0);
    assertRecordKey(n);
    return n;
  };
  const split = (target: GenderKeys, source?: Partial<GenderKeys>) => {
    for (const g of [...GENDERS, 'total'] as const) target[g] = key(source?.[g]);
  };
  const map = (target: Record<string, GenderKeys>, source?: Record<string, Partial<GenderKeys>>) => {
    for (const [code, v] of Object.entries(source ?? {})) split((target[code] ??= emptyGenderKeys()), v);
  };
  split(out.active, s.active);
  split(out.new, s.new);
  split(out.exited, s.exited);
  map(out.exitsByReason, s.exitsByReason);
  map(out.newByReferringParty, s.newByReferringParty);
  map(out.newByAgeBand, s.newByAgeBand);
  map(out.newByEducationLevel, s.newByEducationLevel);
  map(out.newByMunicipality, s.newByMunicipality);
  for (const [m, reasons] of Object.entries(s.exitsByMunicipalityAndReason ?? {})) {
    const target = (out.exitsByMunicipalityAndReason[m] ??= reasonKeys());
    for (const [r, v] of Object.entries(reasons)) target[r as ExitReason] = key(v);
  }
  out.socialAssistance = {
    atStart: key(s.socialAssistance?.atStart),
    atExit: key(s.socialAssistance?.atExit),
  };
  out.persons = { active: key(s.persons?.active), new: key(s.persons?.new), exited: key(s.persons?.exited) };
  return out;
}
