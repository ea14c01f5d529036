// An attacker's solver, for auditing disclosure control: given what a reader can conclude about each cell on
// its own (a range of possible true values) and the linear relations between cells (a total is the sum of
// its parts, an association the sum of its insatser, a half-year the sum of its quarters), which cells have
// exactly one possible value? Tests run it over everything a board member can read.
import { determinedMasked, type SumConstraint } from './disclosure-control';

/** A range of possible true values, inclusive; `max` null for no upper bound. */
export interface Bounds {
  min: number;
  max: number | null;
}

/**
 * Bounds propagation to a fixpoint: each relation total = Σ parts narrows the total to [Σ min, Σ max] and each
 * part to [min total − Σ max of the others, max total − Σ min of the others]. Sound (every solution of the
 * relations within the bounds stays inside) and fast; it finds every value pinned by a chain of differences.
 * Throws when the bounds and relations have no solution at all (the published figures contradict the model).
 */
export function propagateBounds(
  bounds: Readonly<Record<string, Bounds>>,
  constraints: readonly SumConstraint[],
  maxRounds = 1_000,
): Record<string, { min: number; max: number }> {
  const names = Object.keys(bounds);
  const index = new Map(names.map((name, i) => [name, i]));
  const lo = names.map((n) => bounds[n].min);
  const hi = names.map((n) => bounds[n].max ?? Infinity);
  const rows = constraints.map(({ total, parts }) => {
    const at = (name: string) => {
      const i = index.get(name);
      if (i === undefined) throw new RangeError(`Relation names an unknown cell "${name}"`);
      return i;
    };
    return { total: at(total), parts: parts.map(at) };
  });
  for (let round = 0, changed = true; changed; round++) {
    if (round >= maxRounds) throw new Error(`Bounds propagation did not settle in ${maxRounds} rounds`);
    changed = false;
    const tighten = (i: number, min: number, max: number) => {
      if (min > lo[i]) {
        lo[i] = min;
        changed = true;
      }
      if (max < hi[i]) {
        hi[i] = max;
        changed = true;
      }
      if (lo[i] > hi[i]) throw new Error(`No solution: "${names[i]}" would lie in [${lo[i]}, ${hi[i]}]`);
    };
    for (const { total, parts } of rows) {
      let sumLo = 0;
      let finiteHi = 0;
      let infinite = 0;
      for (const p of parts) {
        sumLo += lo[p];
        if (hi[p] === Infinity) infinite++;
        else finiteHi += hi[p];
      }
      tighten(total, sumLo, infinite > 0 ? Infinity : finiteHi);
      for (const p of parts) {
        const othersLo = sumLo - lo[p];
        const othersHi =
          hi[p] === Infinity
            ? infinite > 1
              ? Infinity
              : finiteHi
            : infinite > 0
              ? Infinity
              : finiteHi - hi[p];
        tighten(p, lo[total] - othersHi, hi[total] - othersLo);
      }
    }
  }
  return Object.fromEntries(names.map((n, i) => [n, { min: lo[i], max: hi[i] }]));
}

/**
 * The cells whose true value the bounds and relations fix: pinned by bounds propagation, or determined by the
 * relations as equations once every pinned cell is filled in (exact elimination, `determinedMasked`).
 * Sorted. A sound solver: a cell it lists is certainly recoverable; one it does not list may still be (a full
 * integer program could find more), which is why the differencing tests also check a witness.
 */
export function pinnedCells(
  bounds: Readonly<Record<string, Bounds>>,
  constraints: readonly SumConstraint[],
): string[] {
  const settled = propagateBounds(bounds, constraints);
  const names = Object.keys(settled);
  const pinned = names.filter((n) => settled[n].min === settled[n].max);
  const open = new Set(names.filter((n) => settled[n].min !== settled[n].max));
  const zeros = Object.fromEntries(names.map((n) => [n, 0]));
  const determined = determinedMasked(zeros, constraints, open);
  return [...new Set([...pinned, ...determined])].sort();
}

/** Whether `values` satisfy every relation and lie within every cell's bounds: a possible truth. */
export function isPossibleTruth(
  values: Readonly<Record<string, number>>,
  bounds: Readonly<Record<string, Bounds>>,
  constraints: readonly SumConstraint[],
): { possible: boolean; reason?: string } {
  for (const [name, b] of Object.entries(bounds)) {
    const v = values[name];
    if (v === undefined || v < b.min || (b.max !== null && v > b.max))
      return { possible: false, reason: `${name} = ${v} outside [${b.min}, ${b.max ?? '∞'}]` };
  }
  for (const { total, parts } of constraints) {
    const sum = parts.reduce((acc, p) => acc + values[p], 0);
    if (sum !== values[total])
      return { possible: false, reason: `${total} = ${values[total]} ≠ Σ parts ${sum}` };
  }
  return { possible: true };
}
