// Age is stored only as a band at enrolment (domain.md privacy rules): the form may take an age in
// years, but only the band derived here is ever persisted.
import type { AgeBand } from './codes';

/** Finsam covers people aged 16–66. */
export const MIN_AGE = 16;
export const MAX_AGE = 66;

// Upper bound (inclusive) of each fine band, in AGE_BANDS order.
const BAND_UPPER_BOUNDS: ReadonlyArray<readonly [number, AgeBand]> = [
  [18, '16-18'],
  [20, '19-20'],
  [24, '21-24'],
  [29, '25-29'],
  [39, '30-39'],
  [49, '40-49'],
  [59, '50-59'],
  [66, '60-66'],
];

/** Integer age in years (16–66) to its fine band; anything else is a caller error. */
export function ageToBand(age: number): AgeBand {
  if (!Number.isInteger(age) || age < MIN_AGE || age > MAX_AGE) {
    throw new RangeError(`Age must be a whole number from ${MIN_AGE} to ${MAX_AGE}, got ${age}`);
  }
  const hit = BAND_UPPER_BOUNDS.find(([upper]) => age <= upper);
  // Unreachable given the range check above; keeps the type checker honest without a cast.
  if (!hit) throw new RangeError(`No age band for ${age}`);
  return hit[1];
}

/** The coarse report bands of domain.md, each the union of whole fine bands (so they coarsen cleanly). */
export const COARSE_AGE_BANDS: Record<string, readonly AgeBand[]> = {
  '16-24': ['16-18', '19-20', '21-24'],
  '25-29': ['25-29'],
  '30-49': ['30-39', '40-49'],
  '50-66': ['50-59', '60-66'],
  unspecified: ['unspecified'],
};

export function coarseAgeBand(band: AgeBand): string {
  for (const [coarse, fine] of Object.entries(COARSE_AGE_BANDS)) {
    if (fine.includes(band)) return coarse;
  }
  throw new RangeError(`Unknown age band: ${String(band)}`);
}
