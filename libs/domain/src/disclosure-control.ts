// Disclosure control (domain.md "Disclosure control"): board dashboards and publication exports show small
// counts as "<k" and mask enough further counts that no masked count can be recomputed from a published sum.
// Works on named values and linear sum constraints, so margins shared by several tables stay consistent.

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
  // Terminates: every pass either adds a key or ends the loop, and the masked set only grows within the
  // finite set of keys. A pass adds keys as it goes, so a cascade (cell → total → grand total) may take a few.
  let changed = true;
  while (changed) changed = secondaryPass(values, constraints, masked);
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

function primaryMask(values: Readonly<Record<string, number>>, k: number): Set<string> {
  return new Set(Object.keys(values).filter((key) => values[key] >= 1 && values[key] <= k - 1));
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
