import { AGE_BANDS, type AgeBand } from './codes';
import { ageToBand, COARSE_AGE_BANDS, coarseAgeBand, MAX_AGE, MIN_AGE } from './age-bands';

describe('ageToBand', () => {
  it.each<[number, AgeBand]>([
    [16, '16-18'],
    [17, '16-18'],
    [18, '16-18'],
    [19, '19-20'],
    [20, '19-20'],
    [21, '21-24'],
    [24, '21-24'],
    [25, '25-29'],
    [29, '25-29'],
    [30, '30-39'],
    [39, '30-39'],
    [40, '40-49'],
    [49, '40-49'],
    [50, '50-59'],
    [59, '50-59'],
    [60, '60-66'],
    [66, '60-66'],
  ])('age %p -> %p', (age, band) => {
    expect(ageToBand(age)).toBe(band);
  });

  it.each([15, 67, 17.5, NaN, Infinity, -Infinity, 0, -16])('throws RangeError for %p', (age) => {
    expect(() => ageToBand(age)).toThrow(RangeError);
  });

  it('covers every age in range with a fine band other than unspecified', () => {
    expect(MIN_AGE).toBe(16);
    expect(MAX_AGE).toBe(66);
    const used = new Set<AgeBand>();
    for (let age = MIN_AGE; age <= MAX_AGE; age++) used.add(ageToBand(age));
    expect([...used]).toEqual(AGE_BANDS.filter((b) => b !== 'unspecified'));
  });
});

describe('coarse age bands', () => {
  it('partition the fine bands exactly once', () => {
    const all = Object.values(COARSE_AGE_BANDS).flat();
    expect([...all].sort()).toEqual([...AGE_BANDS].sort());
  });

  it.each<[AgeBand, string]>([
    ['16-18', '16-24'],
    ['19-20', '16-24'],
    ['21-24', '16-24'],
    ['25-29', '25-29'],
    ['30-39', '30-49'],
    ['40-49', '30-49'],
    ['50-59', '50-66'],
    ['60-66', '50-66'],
    ['unspecified', 'unspecified'],
  ])('%p -> %p', (band, coarse) => {
    expect(coarseAgeBand(band)).toBe(coarse);
  });

  it('throws for an unknown band', () => {
    expect(() => coarseAgeBand('99-100' as AgeBand)).toThrow(RangeError);
  });
});
