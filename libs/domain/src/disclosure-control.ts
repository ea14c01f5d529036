// Cell suppression over linear sum constraints: small counts as "<k", plus enough further counts masked that
// no masked count can be recomputed from a published sum, with an exact (BigInt) elimination to check it.
// Consistent within one set of tables only: reports no longer use it for the board, since differences across
// reports defeat it (README "Disclosure control"); they use the cell-key method of
// disclosure-control-cell-key.ts. Kept for tables published once and on their own, and for the attacker's
// solver (disclosure-control-audit.ts), whose elimination is `determinedMasked`.

export const DEFAULT_DISCLOSURE_THRESHOLD = 3;

/** `total` equals the sum of `parts` (all are keys of the values map). */
export interface SumConstraint {
  total: string;
  parts: string[];
}

/**
 * Returns the set of keys to mask.
 * 1. Primary: every value v with 1 <= v <= k-1.
 * 2. Secondary, repeated until nothing changes: for every constraint, consider its members
 *    {total} ∪ parts. If exactly one member is masked, mask one more: the smallest visible non-zero part
 *    (ties: the first in `parts` order); if every visible part is zero (or there is none), mask the total
 *    instead if it is visible and non-zero. Zero values are never masked.
 * 3. Combinations, repeated until none is left: while `determinedMasked` finds a masked key whose value follows
 *    from the constraints taken together (e.g. two masked rectangles linked by one cell), take the first such
 *    key in sorted key order, mask one more member (as in step 2) of the first constraint, in constraint order,
 *    that contains the key and still has a visible non-zero member, else of the first constraint linked to
 *    the key through masked keys that does, and redo step 2.
 * Deterministic. Values may appear in several constraints (shared margins); masking is global.
 *
 * `alreadyMasked` adds keys to mask from the start (e.g. a previous result); zero-valued keys in it are ignored.
 * Throws a RangeError when k is not an integer >= 1, a value is not a non-negative integer, a constraint names
 * an unknown key, lists its total among its parts or a part twice, or does not add up: the guarantee that
 * no masked count is recoverable only holds for consistent sums, so a broken report must not be published.
 */
export function suppress(
  values: Readonly<Record<string, number>>,
  constraints: readonly SumConstraint[],
  k: number,
  alreadyMasked?: Iterable<string>,
): Set<string> {
  assertThreshold(k);
  assertCounts(values);
  constraints.forEach((constraint) => assertConstraint(values, constraint));

  const masked = primaryMask(values, k);
  for (const key of alreadyMasked ?? []) {
    requireKey(values, key);
    if (values[key] !== 0) masked.add(key); // zero stays zero, even when a caller asks otherwise
  }
  secondaryFixpoint(values, constraints, masked);
  // Terminates: every round masks one more key (protectingKey never returns a masked one), and the masked set
  // only grows within the finite set of keys.
  for (
    let determined = determinedMasked(values, constraints, masked);
    determined.length > 0;
    determined = determinedMasked(values, constraints, masked)
  ) {
    masked.add(protectingKey(values, constraints, masked, determined[0]));
    secondaryFixpoint(values, constraints, masked);
  }
  return masked;
}

/** The masked form of a count: the number itself, or the string `<k` (e.g. "<3"). */
export function maskedLabel(k: number): string {
  return `<${k}`;
}

/**
 * A share (fraction) to show, or null when its denominator is below k or when any of `numeratorKeys` is masked
 * (a visible share times a visible denominator would reveal a masked numerator). Pass the denominator's own
 * key among `numeratorKeys` too when it has one: a visible share and numerator would otherwise reveal a
 * denominator that secondary suppression masked (it can be >= k).
 */
export function maskShare(
  share: number | null,
  denominator: number,
  numeratorKeys: readonly string[],
  masked: ReadonlySet<string>,
  k: number,
): number | null {
  if (share === null || denominator < k) return null; // also covers denominator 0
  return numeratorKeys.some((key) => masked.has(key)) ? null : share;
}

/**
 * The masked keys that are the only masked member of some constraint, i.e. recomputable as total minus the
 * visible parts (or the sum of the visible parts). In constraint order, without duplicates. Empty after
 * `suppress` for any input it accepts; callers use it as a runtime assertion before publishing.
 */
export function isRecoverable(
  values: Readonly<Record<string, number>>,
  constraints: readonly SumConstraint[],
  masked: ReadonlySet<string>,
): string[] {
  const recoverable = new Set<string>();
  for (const constraint of constraints) {
    membersOf(constraint).forEach((key) => requireKey(values, key));
    const maskedMembers = membersOf(constraint).filter((key) => masked.has(key));
    if (maskedMembers.length === 1) recoverable.add(maskedMembers[0]);
  }
  return [...recoverable];
}

/**
 * The masked keys whose value is uniquely determined by all constraints together once the visible values are
 * filled in, sorted by key (code-unit order). A superset of `isRecoverable`: it also finds values that only a
 * combination of constraints reveals, such as (two column sums) − (two row sums) isolating one cell. Empty
 * after `suppress` for any input it accepts. Bounds are ignored: a value pinned only by non-negativity (an
 * interval attack) does not count as determined.
 *
 * Every constraint becomes the linear equation total − Σ parts = 0 over the unknowns (the masked keys); the
 * visible members only move into the right-hand side, which does not affect which unknowns are determined.
 * An unknown x_i is determined iff the unit vector e_i lies in the row space of the coefficient matrix, i.e.
 * iff, in reduced row echelon form, x_i is a pivot whose row has no other non-zero coefficient. The
 * elimination is exact (BigInt, fraction-free with gcd normalisation) and runs separately on each group of
 * masked keys linked by constraints, so its cost depends on the masked keys, not on the size of the report.
 */
export function determinedMasked(
  values: Readonly<Record<string, number>>,
  constraints: readonly SumConstraint[],
  masked: ReadonlySet<string>,
): string[] {
  const columnOf = new Map<string, number>();
  const keyOf: string[] = [];
  const rows: SparseRow[] = [];
  for (const constraint of constraints) {
    membersOf(constraint).forEach((key) => requireKey(values, key));
    const row: SparseRow = new Map();
    membersOf(constraint).forEach((key, i) => {
      if (!masked.has(key)) return;
      let column = columnOf.get(key);
      if (column === undefined) {
        column = keyOf.push(key) - 1;
        columnOf.set(key, column);
      }
      const coefficient = (row.get(column) ?? 0n) + (i === 0 ? 1n : -1n);
      if (coefficient === 0n) row.delete(column);
      else row.set(column, coefficient);
    });
    if (row.size > 0) rows.push(row);
  }

  // Group the equations by connected component of the unknowns: elimination never mixes components.
  const parent = keyOf.map((_, column) => column);
  const root = (column: number): number => {
    while (parent[column] !== column) column = parent[column] = parent[parent[column]];
    return column;
  };
  for (const row of rows) {
    const [first, ...rest] = row.keys();
    rest.forEach((column) => (parent[root(column)] = root(first)));
  }
  const components = new Map<number, { rows: SparseRow[]; columns: number[] }>();
  const componentOf = (column: number) => {
    const r = root(column);
    let component = components.get(r);
    if (component === undefined) components.set(r, (component = { rows: [], columns: [] }));
    return component;
  };
  keyOf.forEach((_, column) => componentOf(column).columns.push(column));
  rows.forEach((row) => componentOf(row.keys().next().value as number).rows.push(row));

  const determined: string[] = [];
  for (const { rows: componentRows, columns } of components.values()) {
    determinedColumns(componentRows, columns).forEach((column) => determined.push(keyOf[column]));
  }
  return determined.sort();
}

/** A row of integer coefficients: column → non-zero coefficient. */
type SparseRow = Map<number, bigint>;

/**
 * Gauss–Jordan elimination to reduced row echelon form (rows are modified), returning the pivot columns
 * whose row has no other non-zero entry. Rows are kept as integer multiples of the rational RREF rows, which
 * changes no zero pattern. The pivot row for each column is the sparsest candidate, to limit fill-in.
 */
function determinedColumns(rows: SparseRow[], columns: readonly number[]): number[] {
  const pivots: { column: number; row: SparseRow }[] = [];
  let pending = rows;
  for (const column of columns) {
    let pivot: SparseRow | undefined;
    for (const row of pending)
      if (row.has(column) && (pivot === undefined || row.size < pivot.size)) pivot = row;
    if (pivot === undefined) continue; // a free column
    const pivotRow = pivot;
    pending = pending.filter((row) => row !== pivotRow);
    for (const row of pending) if (row.has(column)) eliminate(row, pivotRow, column);
    for (const done of pivots) if (done.row.has(column)) eliminate(done.row, pivotRow, column);
    pending = pending.filter((row) => row.size > 0); // dependent equations vanish
    pivots.push({ column, row: pivotRow });
  }
  return pivots.filter(({ row }) => row.size === 1).map(({ column }) => column);
}

/** row := a·row − b·pivot with a = pivot[column], b = row[column], then divided by the gcd of its entries. */
function eliminate(row: SparseRow, pivot: SparseRow, column: number): void {
  const a = pivot.get(column) as bigint;
  const b = row.get(column) as bigint;
  for (const [c, v] of row) row.set(c, a * v);
  for (const [c, v] of pivot) {
    const next = (row.get(c) ?? 0n) - b * v;
    if (next === 0n) row.delete(c);
    else row.set(c, next);
  }
  let divisor = 0n;
  for (const v of row.values()) if ((divisor = gcd(divisor, v)) === 1n) return;
  if (divisor > 1n) for (const [c, v] of row) row.set(c, v / divisor);
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * The key to mask so that a determined key gets one more unknown beside it: the complementary key of the
 * first constraint containing it that still has a visible non-zero member, else of the first constraint
 * touching its component (the masked keys linked to it through constraints).
 *
 * Some constraint of the component always has one. Suppose none had: then every constraint touching the
 * component has all its non-zero members masked, and all its masked members in the component. The vector w
 * equal to the true values on the component and 0 on every other masked key then satisfies every
 * homogeneous equation: a constraint touching the component sums its members' true values (its visible
 * members are 0), which is 0 because the sums are consistent; any other constraint has w = 0 on its masked
 * members. So w is in the null space of the coefficient matrix with w_key = values[key] > 0 (zeros are never
 * masked), and `key` would not be determined.
 */
function protectingKey(
  values: Readonly<Record<string, number>>,
  constraints: readonly SumConstraint[],
  masked: ReadonlySet<string>,
  key: string,
): string {
  for (const constraint of constraints) {
    if (!membersOf(constraint).includes(key)) continue;
    const extra = complementaryKey(values, constraint, masked);
    if (extra !== null) return extra;
  }
  const component = new Set([key]);
  const seen = new Set<SumConstraint>();
  for (let grew = true; grew;) {
    grew = false;
    for (const constraint of constraints) {
      if (seen.has(constraint) || !membersOf(constraint).some((member) => component.has(member))) continue;
      seen.add(constraint);
      for (const member of membersOf(constraint)) {
        if (masked.has(member) && !component.has(member)) component.add(member);
      }
      grew = true;
    }
  }
  for (const constraint of constraints) {
    if (!seen.has(constraint)) continue;
    const extra = complementaryKey(values, constraint, masked);
    if (extra !== null) return extra;
  }
  throw new Error(
    `Disclosure control: "${key}" is determined by the constraints but none linked to it has a visible ` +
      'non-zero member to mask; the sums must be inconsistent',
  );
}

function primaryMask(values: Readonly<Record<string, number>>, k: number): Set<string> {
  return new Set(Object.keys(values).filter((key) => values[key] >= 1 && values[key] <= k - 1));
}

/**
 * Step 2 to its fixpoint. Terminates: every pass either adds a key or ends the loop, and the masked set only
 * grows within the finite set of keys. A pass adds keys as it goes, so a cascade (cell → total → grand total)
 * may take a few.
 */
function secondaryFixpoint(
  values: Readonly<Record<string, number>>,
  constraints: readonly SumConstraint[],
  masked: Set<string>,
): void {
  let changed = true;
  while (changed) changed = secondaryPass(values, constraints, masked);
}

/** One sweep over the constraints; returns whether it masked anything. */
function secondaryPass(
  values: Readonly<Record<string, number>>,
  constraints: readonly SumConstraint[],
  masked: Set<string>,
): boolean {
  let changed = false;
  for (const constraint of constraints) {
    if (membersOf(constraint).filter((key) => masked.has(key)).length !== 1) continue;
    const extra = complementaryKey(values, constraint, masked);
    if (extra === null) continue; // only reachable for inconsistent sums, which suppress rejects
    masked.add(extra);
    changed = true;
  }
  return changed;
}

/**
 * The key to mask beside a lone masked member: the smallest visible non-zero part (masking the smallest
 * loses the least information), else the total. Masking a zero would protect nothing: it is known to be 0.
 */
function complementaryKey(
  values: Readonly<Record<string, number>>,
  constraint: SumConstraint,
  masked: ReadonlySet<string>,
): string | null {
  let best: string | null = null;
  for (const part of constraint.parts) {
    if (masked.has(part) || values[part] === 0) continue;
    if (best === null || values[part] < values[best]) best = part; // strict: ties keep the first part
  }
  if (best !== null) return best;
  const { total } = constraint;
  return !masked.has(total) && values[total] !== 0 ? total : null;
}

function membersOf(constraint: SumConstraint): string[] {
  return [constraint.total, ...constraint.parts];
}

function assertThreshold(k: number): void {
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`Disclosure threshold must be an integer >= 1, got ${k}`);
}

function assertCounts(values: Readonly<Record<string, number>>): void {
  for (const [key, value] of Object.entries(values)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`Value of "${key}" must be a non-negative integer count, got ${value}`);
    }
  }
}

function assertConstraint(values: Readonly<Record<string, number>>, constraint: SumConstraint): void {
  const { total, parts } = constraint;
  membersOf(constraint).forEach((key) => requireKey(values, key));
  if (new Set(membersOf(constraint)).size !== parts.length + 1) {
    throw new RangeError(`Constraint on "${total}" repeats a key (its total or a part)`);
  }
  const sum = parts.reduce((acc, part) => acc + values[part], 0);
  if (sum !== values[total]) {
    throw new RangeError(`Constraint "${total}" = ${values[total]} but its parts add up to ${sum}`);
  }
}

function requireKey(values: Readonly<Record<string, number>>, key: string): void {
  // Own keys only: "constructor" and friends must not resolve through the prototype.
  if (!Object.hasOwn(values, key)) throw new RangeError(`Unknown disclosure key "${key}"`);
}
