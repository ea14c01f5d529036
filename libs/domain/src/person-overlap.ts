// Distinct persons of a chosen set of insatser from per-insats figures and an aggregate of their overlap:
// what a set's report is made of once retention has deleted the rows of a period (README "Retention").
import { addKeys, multiplyKey, subtractKeys, type KeyedFact } from './disclosure-control-cell-key';
import { isActive, isExited, isNew, type DateRange } from './metrics';

export const PERSON_MEASURES = ['active', 'new', 'exited'] as const;
export type PersonMeasure = (typeof PERSON_MEASURES)[number];

/** A count of persons with the sum of their participant keys (modulo 2^48), per measure. */
export type PersonCells = Record<PersonMeasure, { count: number; key: number }>;

/**
 * How many persons were counted (active, new, exited) in exactly this combination of insatser in a period,
 * with the sum of their participant keys: an aggregate, no person in it. Only combinations of two or more
 * insatser are kept; a person in one insats is never counted twice in any set.
 */
export interface PersonCombination {
  /** Sorted. */
  interventionIds: string[];
  cells: PersonCells;
}

export const emptyPersonCells = (): PersonCells => ({
  active: { count: 0, key: 0 },
  new: { count: 0, key: 0 },
  exited: { count: 0, key: 0 },
});

/** Distinct persons and their keys of a result (`PeriodCounts.persons`, `PeriodKeys.persons`) as cells. */
export function personCells(
  persons: Record<PersonMeasure, number>,
  keys: Record<PersonMeasure, number>,
): PersonCells {
  return {
    active: { count: persons.active, key: keys.active },
    new: { count: persons.new, key: keys.new },
    exited: { count: persons.exited, key: keys.exited },
  };
}

/** The combinations of two or more insatser the facts' persons were counted in during the period. */
export function personCombinations(
  facts: readonly (KeyedFact & { interventionId: string })[],
  period: DateRange,
): PersonCombination[] {
  const persons = new Map<string, { key: number; in: Record<PersonMeasure, Set<string>> }>();
  for (const f of facts) {
    if (!isActive(f, period)) continue;
    let p = persons.get(f.participantId);
    if (!p) {
      p = { key: f.participantKey, in: { active: new Set(), new: new Set(), exited: new Set() } };
      persons.set(f.participantId, p);
    }
    p.in.active.add(f.interventionId);
    if (isNew(f, period)) p.in.new.add(f.interventionId);
    if (isExited(f, period)) p.in.exited.add(f.interventionId);
  }
  const combinations = new Map<string, PersonCombination>();
  for (const p of persons.values())
    for (const measure of PERSON_MEASURES) {
      if (p.in[measure].size < 2) continue;
      const ids = [...p.in[measure]].sort();
      const id = ids.join(',');
      let c = combinations.get(id);
      if (!c) combinations.set(id, (c = { interventionIds: ids, cells: emptyPersonCells() }));
      c.cells[measure].count += 1;
      c.cells[measure].key = addKeys(c.cells[measure].key, p.key);
    }
  return [...combinations.values()];
}

/**
 * Combinations of all rows minus those of the rows that remain after a purge (counts may be negative; keys
 * modulo 2^48): added to what the remaining rows give, they give all rows' figures again.
 */
export function subtractCombinations(
  all: readonly PersonCombination[],
  rest: readonly PersonCombination[],
): PersonCombination[] {
  const out = new Map<string, PersonCombination>();
  const add = (c: PersonCombination, sign: 1 | -1) => {
    const id = c.interventionIds.join(',');
    let o = out.get(id);
    if (!o) out.set(id, (o = { interventionIds: c.interventionIds, cells: emptyPersonCells() }));
    for (const m of PERSON_MEASURES) {
      o.cells[m].count += sign * c.cells[m].count;
      o.cells[m].key =
        sign === 1 ? addKeys(o.cells[m].key, c.cells[m].key) : subtractKeys(o.cells[m].key, c.cells[m].key);
    }
  };
  for (const c of all) add(c, 1);
  for (const c of rest) add(c, -1);
  return [...out.values()].filter((c) =>
    PERSON_MEASURES.some((m) => c.cells[m].count !== 0 || c.cells[m].key !== 0),
  );
}

/**
 * Distinct persons of a set S of insatser from the sum of its insatser's distinct persons (each counted in
 * every insats of S it was in) and the combinations: a person in exactly the insatser C was counted |C ∩ S|
 * times and must count once, so
 *   persons(S) = Σ_{i∈S} persons_i − Σ_C (|C ∩ S| − 1) · count_C   over C with |C ∩ S| ≥ 2,
 * and the same for the keys modulo 2^48 (each person's key once).
 */
export function personsOfSet(
  sumOverInsatser: PersonCells,
  combinations: readonly PersonCombination[],
  set: ReadonlySet<string>,
): PersonCells {
  const out = emptyPersonCells();
  for (const m of PERSON_MEASURES) out[m] = { ...sumOverInsatser[m] };
  for (const c of combinations) {
    const overcount = c.interventionIds.filter((id) => set.has(id)).length - 1;
    if (overcount < 1) continue;
    for (const m of PERSON_MEASURES) {
      out[m].count -= overcount * c.cells[m].count;
      out[m].key = subtractKeys(out[m].key, multiplyKey(c.cells[m].key, overcount));
    }
  }
  return out;
}
