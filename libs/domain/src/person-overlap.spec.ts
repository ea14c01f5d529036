import fc from 'fast-check';
import { CELL_KEY_MODULUS, computePeriodKeys, type KeyedFact } from './disclosure-control-cell-key';
import { computePeriodCounts } from './metrics';
import {
  PERSON_MEASURES,
  emptyPersonCells,
  personCombinations,
  personsOfSet,
  subtractCombinations,
  type PersonCells,
} from './person-overlap';

type Fact = KeyedFact & { interventionId: string };

const INSATSER = ['a', 'b', 'c', 'd'];
const PERIOD = { start: '2021-04-01', end: '2021-06-30' };
const date = (day: number) => new Date(Date.UTC(2021, 0, 1 + day)).toISOString().slice(0, 10);

// Few persons and insatser: most persons end up in several insatser, some in one insats twice.
const factsArb = fc
  .array(fc.integer({ min: 0, max: CELL_KEY_MODULUS - 1 }), { minLength: 6, maxLength: 6 })
  .chain((personKeys) =>
    fc
      .array(
        fc.record({
          person: fc.integer({ min: 0, max: personKeys.length - 1 }),
          insats: fc.constantFrom(...INSATSER),
          start: fc.integer({ min: 0, max: 300 }),
          length: fc.option(fc.integer({ min: 0, max: 200 })),
          enrolmentKey: fc.integer({ min: 0, max: CELL_KEY_MODULUS - 1 }),
          purged: fc.boolean(),
        }),
        { maxLength: 30 },
      )
      .map((rows) =>
        rows.map((r): Fact & { purged: boolean } => ({
          interventionId: r.insats,
          participantId: `p${r.person}`,
          participantKey: personKeys[r.person],
          enrolmentKey: r.enrolmentKey,
          startedOn: date(r.start),
          exitedOn: r.length === null ? null : date(r.start + r.length),
          gender: 'woman',
          referringParty: 'social_services',
          ageBand: '16-18',
          educationLevel: 'compulsory',
          municipality: '0136',
          exitReason: r.length === null ? null : 'work',
          socialAssistanceAtStart: false,
          socialAssistanceAtExit: false,
          purged: r.purged,
        })),
      ),
  );
const setArb = fc.subarray(INSATSER, { minLength: 1 });

/** Distinct persons of the facts by brute force: the rules every stored result is computed with. */
function bruteForce(facts: readonly Fact[]): PersonCells {
  const counts = computePeriodCounts(facts, PERIOD).persons;
  const keys = computePeriodKeys(facts, PERIOD).persons;
  const out = emptyPersonCells();
  for (const m of PERSON_MEASURES) out[m] = { count: counts[m], key: keys[m] };
  return out;
}

const sum = (parts: PersonCells[]): PersonCells => {
  const out = emptyPersonCells();
  for (const p of parts)
    for (const m of PERSON_MEASURES)
      out[m] = { count: out[m].count + p[m].count, key: (out[m].key + p[m].key) % CELL_KEY_MODULUS };
  return out;
};
const minus = (a: PersonCells, b: PersonCells): PersonCells => {
  const out = emptyPersonCells();
  for (const m of PERSON_MEASURES)
    out[m] = {
      count: a[m].count - b[m].count,
      key: (((a[m].key - b[m].key) % CELL_KEY_MODULUS) + CELL_KEY_MODULUS) % CELL_KEY_MODULUS,
    };
  return out;
};

describe('distinct persons of a set of insatser from per-insats figures and their overlap', () => {
  it('equals the distinct count (and key) over the set rows, for every set', () => {
    fc.assert(
      fc.property(factsArb, setArb, (facts, set) => {
        const inSet = new Set(set);
        const perInsats = set.map((i) => bruteForce(facts.filter((f) => f.interventionId === i)));
        const combinations = personCombinations(facts, PERIOD);
        expect(combinations.every((c) => c.interventionIds.length >= 2)).toBe(true);
        expect(personsOfSet(sum(perInsats), combinations, inSet)).toEqual(
          bruteForce(facts.filter((f) => inSet.has(f.interventionId))),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('after a purge: the remaining rows, plus each insats difference, minus the overlap difference, give all rows', () => {
    fc.assert(
      fc.property(factsArb, setArb, (facts, set) => {
        const inSet = new Set(set);
        const rest = facts.filter((f) => !f.purged);
        const of = (rows: readonly Fact[], i: string) => rows.filter((f) => f.interventionId === i);
        // What retention stores: per insats all − rest, and the combinations of all − those of rest.
        const bases = set.map((i) => minus(bruteForce(of(facts, i)), bruteForce(of(rest, i))));
        const delta = subtractCombinations(
          personCombinations(facts, PERIOD),
          personCombinations(rest, PERIOD),
        );
        const live = bruteForce(rest.filter((f) => inSet.has(f.interventionId)));
        const purged = personsOfSet(sum(bases), delta, inSet);
        expect(sum([live, purged])).toEqual(bruteForce(facts.filter((f) => inSet.has(f.interventionId))));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps no combination of one insats, and counts a person in two insatser once in their set', () => {
    const fact = (participantId: string, interventionId: string, participantKey: number): Fact => ({
      interventionId,
      participantId,
      participantKey,
      enrolmentKey: 1,
      startedOn: '2021-05-01',
      exitedOn: null,
      gender: 'man',
      referringParty: 'social_services',
      ageBand: '16-18',
      educationLevel: 'compulsory',
      municipality: '0136',
      exitReason: null,
      socialAssistanceAtStart: false,
      socialAssistanceAtExit: false,
    });
    const combinations = personCombinations(
      [fact('x', 'a', 5), fact('x', 'b', 5), fact('y', 'a', 7), fact('y', 'a', 7)],
      PERIOD,
    );
    expect(combinations).toEqual([
      {
        interventionIds: ['a', 'b'],
        cells: { active: { count: 1, key: 5 }, new: { count: 1, key: 5 }, exited: { count: 0, key: 0 } },
      },
    ]);
    const perInsats = { ...emptyPersonCells(), active: { count: 3, key: 17 } }; // a: x, y; b: x
    expect(personsOfSet(perInsats, combinations, new Set(['a', 'b'])).active).toEqual({ count: 2, key: 12 });
    expect(personsOfSet(perInsats, combinations, new Set(['a', 'c'])).active).toEqual({ count: 3, key: 17 });
  });
});
