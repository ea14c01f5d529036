import fc from 'fast-check';
import { AGE_BANDS, EXIT_REASONS, GENDERS, REFERRING_PARTIES } from './codes';
import {
  CELL_KEY_MODULUS,
  NOISE_LIMIT,
  addKeys,
  addPeriodKeys,
  cellNoise,
  computePeriodKeys,
  noiseProbabilities,
  possibleTrueValues,
  publishCells,
  publishCount,
  publishedShare,
  type KeyedFact,
} from './disclosure-control-cell-key';
import { computePeriodCounts } from './metrics';

const keyArb = fc.integer({ min: 0, max: CELL_KEY_MODULUS - 1 });

describe('the p-table', () => {
  it('is a symmetric distribution over every noise value from −20 to 20, 60 % at 0 and 30 % at ±1', () => {
    const p = noiseProbabilities();
    expect([...p.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 2 * NOISE_LIMIT + 1 }, (_, i) => i - NOISE_LIMIT),
    );
    expect([...p.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (let n = 1; n <= NOISE_LIMIT; n++) {
      expect(p.get(n)).toBeGreaterThan(0); // full support: what makes every small count deniable
      expect(p.get(n)).toBeCloseTo(p.get(-n)!, 15);
    }
    expect(p.get(0)).toBeCloseTo(0.6, 6);
    expect(p.get(1)! + p.get(-1)!).toBeCloseTo(0.3, 6);
  });

  it('draws noise with those frequencies from random cell keys', () => {
    const draws = new Map<number, number>();
    const N = 40_000;
    fc.assert(
      fc.property(keyArb, fc.integer({ min: 3, max: 500 }), (key, value) => {
        const n = cellNoise(value, key);
        draws.set(n, (draws.get(n) ?? 0) + 1);
      }),
      { numRuns: N, seed: 1 },
    );
    const p = noiseProbabilities();
    for (const n of [-2, -1, 0, 1, 2]) {
      const expected = p.get(n)! * N;
      expect(Math.abs(draws.get(n)! - expected)).toBeLessThan(5 * Math.sqrt(expected)); // five sigma
    }
    expect(Math.max(...[...draws.keys()].map(Math.abs))).toBeLessThanOrEqual(NOISE_LIMIT);
  });

  it('gives the same noise for the same value and key, and unrelated noise for related keys', () => {
    expect(cellNoise(17, 123_456_789)).toBe(cellNoise(17, 123_456_789));
    // A margin's key is the sum of its parts' keys; its noise must not follow from theirs.
    let same = 0;
    fc.assert(
      fc.property(keyArb, keyArb, (a, b) => {
        if (cellNoise(10, addKeys(a, b)) === cellNoise(10, a) + cellNoise(10, b)) same++;
      }),
      { numRuns: 2_000, seed: 2 },
    );
    expect(same / 2_000).toBeLessThan(0.5); // independent draws agree about 40 % of the time
  });
});

describe('publishCount', () => {
  it('keeps zero, shows 1..k−1 as "<k" and never publishes a count between 1 and k−1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000 }),
        keyArb,
        fc.integer({ min: 1, max: 10 }),
        (x, key, k) => {
          const p = publishCount(x, key, k);
          if (x === 0) expect(p).toBe(0);
          else if (x < k) expect(p).toBe(`<${k}`);
          if (typeof p === 'number' && p !== 0) expect(p).toBeGreaterThanOrEqual(k);
          if (typeof p === 'number' && x >= k) expect(Math.abs(p - x)).toBeLessThanOrEqual(NOISE_LIMIT);
        },
      ),
    );
  });

  it('publishes nothing that rules out one more record, the heart of the guarantee', () => {
    // For every true x ≥ 1 and every published p, p is also a possible output for x + 1 (unless the noise hit
    // −NOISE_LIMIT, which the 2^48 key space makes a 10⁻¹² event): so no relation can pin x.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        keyArb,
        fc.integer({ min: 1, max: 10 }),
        (x, key, k) => {
          const range = possibleTrueValues(publishCount(x, key, k), k);
          expect(range.min).toBeLessThanOrEqual(x);
          expect(range.max === null || range.max >= x + 1 || cellNoise(x, key) === -NOISE_LIMIT).toBe(true);
        },
      ),
    );
  });

  it('applies the same rule to any set of keyed cells (for surveys and other tables)', () => {
    const cells = {
      negative: { value: 1, key: 5 },
      neutral: { value: 0, key: 0 },
      positive: { value: 40, key: 99 },
    };
    const published = publishCells(cells, 3);
    expect(published.negative).toBe('<3');
    expect(published.neutral).toBe(0);
    expect(published.positive).toBe(publishCount(40, 99, 3));
  });

  it('refuses a bad threshold, count or key', () => {
    expect(() => publishCount(3, 1, 0)).toThrow(RangeError);
    expect(() => publishCount(-1, 1, 3)).toThrow(RangeError);
    expect(() => publishCount(2.5, 1, 3)).toThrow(RangeError);
    expect(() => publishCount(3, CELL_KEY_MODULUS, 3)).toThrow(RangeError);
    expect(() => possibleTrueValues(2, 3)).toThrow(RangeError); // never published
  });

  it('computes shares from published counts only', () => {
    expect(publishedShare(4, 8)).toBe(0.5);
    expect(publishedShare('<3', 8)).toBeNull();
    expect(publishedShare(4, '<3')).toBeNull();
    expect(publishedShare(0, 0)).toBeNull();
    expect(publishedShare(9, 8)).toBe(1); // perturbed parts need not nest
  });
});

describe('cell keys of report counts', () => {
  const factArb: fc.Arbitrary<KeyedFact> = fc.record({
    participantId: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6'),
    startedOn: fc.constantFrom('2024-01-05', '2024-03-30', '2024-05-01', '2024-08-20'),
    exitedOn: fc.constantFrom(null, '2024-06-30', '2024-09-01', '2024-12-31'),
    gender: fc.constantFrom(...GENDERS),
    referringParty: fc.constantFrom(...REFERRING_PARTIES),
    ageBand: fc.constantFrom(...AGE_BANDS),
    educationLevel: fc.constant('unspecified' as const),
    municipality: fc.constantFrom('0136', '0138', '0192'),
    exitReason: fc.constantFrom(...EXIT_REASONS),
    socialAssistanceAtStart: fc.boolean(),
    socialAssistanceAtExit: fc.boolean(),
    enrolmentKey: keyArb,
    participantKey: keyArb,
  });
  // A participant has one key, whichever enrolment it is read with.
  const personKey = (id: string) => (id.charCodeAt(id.length - 1) * 2_654_435_761) % CELL_KEY_MODULUS;
  const valid = (facts: KeyedFact[]) =>
    facts
      .filter((f) => f.exitedOn === null || f.exitedOn >= f.startedOn)
      .map((f) => ({
        ...f,
        participantKey: personKey(f.participantId),
        exitReason: f.exitedOn === null ? null : f.exitReason,
      }));
  const period = { start: '2024-04-01', end: '2024-09-30' };

  it('count the same records as the counts: with every record key 1, each cell key is its count', () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 40 }), (raw) => {
        const facts = valid(raw).map((f) => ({ ...f, enrolmentKey: 1, participantKey: 1 }));
        const { medianDaysEnrolled: _median, ...counts } = computePeriodCounts(facts, period);
        expect(computePeriodKeys(facts, period)).toEqual(counts);
      }),
    );
  });

  it('depend only on the records counted: a margin is the sum of its parts and a region of its associations', () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 40 }), fc.array(factArb, { maxLength: 40 }), (a, b) => {
        const [fa, fb] = [valid(a), valid(b).map((f) => ({ ...f, participantId: `b-${f.participantId}` }))];
        const union = computePeriodKeys([...fa, ...fb], period);
        const sum = addPeriodKeys([computePeriodKeys(fa, period), computePeriodKeys(fb, period)]);
        expect(sum).toEqual(union); // persons are distinct across the two, so their keys add up too
        const keys = computePeriodKeys(fa, period);
        const byGender = GENDERS.reduce((acc, g) => addKeys(acc, keys.new[g]), 0);
        expect(byGender).toBe(keys.new.total);
        // the order of the records does not matter
        expect(computePeriodKeys([...fa].reverse(), period)).toEqual(keys);
      }),
    );
  });

  it('refuses a record key outside [0, 2^48)', () => {
    const fact = {
      participantId: 'p',
      startedOn: '2024-05-01',
      exitedOn: null,
      gender: 'woman' as const,
      referringParty: 'school' as const,
      ageBand: '16-18' as const,
      educationLevel: 'unspecified' as const,
      municipality: '0136',
      exitReason: null,
      socialAssistanceAtStart: false,
      socialAssistanceAtExit: false,
      participantKey: 1,
    };
    expect(() => computePeriodKeys([{ ...fact, enrolmentKey: -1 }], period)).toThrow(RangeError);
    expect(() => computePeriodKeys([{ ...fact, enrolmentKey: 1.5 }], period)).toThrow(RangeError);
  });
});
