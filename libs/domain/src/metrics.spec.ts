import {
  addCounts,
  compactCounts,
  computePeriodCounts,
  exitShare,
  expandCounts,
  median,
  type EnrolmentFact,
} from './metrics';

const base: EnrolmentFact = {
  participantId: 'p1',
  startedOn: '2024-01-15',
  exitedOn: null,
  gender: 'woman',
  referringParty: 'social_services',
  ageBand: '19-20',
  educationLevel: 'compulsory',
  municipality: '0136',
  exitReason: null,
  socialAssistanceAtStart: false,
  socialAssistanceAtExit: false,
};
const fact = (over: Partial<EnrolmentFact>): EnrolmentFact => ({ ...base, ...over });
const Q1 = { start: '2024-01-01', end: '2024-03-31' };
const Q2 = { start: '2024-04-01', end: '2024-06-30' };

describe('computePeriodCounts', () => {
  // Five enrolments, counted by hand for Q1 and Q2 2024.
  const facts = [
    fact({
      participantId: 'a',
      startedOn: '2023-11-01',
      exitedOn: '2024-01-01',
      exitReason: 'work',
      gender: 'man',
      socialAssistanceAtStart: true,
    }),
    fact({
      participantId: 'b',
      startedOn: '2024-03-31',
      exitedOn: '2024-04-01',
      exitReason: 'studies',
      socialAssistanceAtStart: true,
      socialAssistanceAtExit: true,
    }),
    fact({
      participantId: 'c',
      startedOn: '2024-02-10',
      exitedOn: '2024-02-10',
      exitReason: 'moved',
      gender: 'unspecified',
      municipality: '0138',
    }),
    fact({
      participantId: 'd',
      startedOn: '2024-04-01',
      gender: 'man',
      referringParty: 'employment_service',
      ageBand: '25-29',
    }),
    fact({
      participantId: 'a',
      startedOn: '2024-03-01',
      exitedOn: '2024-06-30',
      exitReason: 'municipal_programme',
      gender: 'man',
    }),
  ];

  it('counts active, new and exited per gender for Q1', () => {
    const c = computePeriodCounts(facts, Q1);
    // active: a(exit 01-01), b(start 03-31), c, a(03-01) — d starts in Q2.
    expect(c.active).toEqual({ woman: 1, man: 2, unspecified: 1, total: 4 });
    // new: b, c, a(03-01); a's first enrolment started in 2023.
    expect(c.new).toEqual({ woman: 1, man: 1, unspecified: 1, total: 3 });
    // exited: a on 01-01 (first day), c same-day.
    expect(c.exited).toEqual({ woman: 0, man: 1, unspecified: 1, total: 2 });
    expect(c.exitsByReason.work).toEqual({ woman: 0, man: 1, unspecified: 0, total: 1 });
    expect(c.exitsByReason.moved).toEqual({ woman: 0, man: 0, unspecified: 1, total: 1 });
    expect(c.exitsByMunicipalityAndReason).toEqual({
      '0136': expect.objectContaining({ work: 1, moved: 0 }),
      '0138': expect.objectContaining({ moved: 1, work: 0 }),
    });
    expect(c.socialAssistance).toEqual({ atStart: 1, atExit: 0 });
    // days enrolled: a 61 (2023-11-01 → 2024-01-01), c 0 → median 30.5
    expect(c.medianDaysEnrolled).toBe(30.5);
    expect(c.persons).toEqual({ active: 3, new: 3, exited: 2 });
    expect(c.newByMunicipality).toEqual({
      '0136': { woman: 1, man: 1, unspecified: 0, total: 2 },
      '0138': { woman: 0, man: 0, unspecified: 1, total: 1 },
    });
  });

  it('counts Q2 with exits on the first and last day', () => {
    const c = computePeriodCounts(facts, Q2);
    expect(c.active).toEqual({ woman: 1, man: 2, unspecified: 0, total: 3 });
    expect(c.new).toEqual({ woman: 0, man: 1, unspecified: 0, total: 1 });
    expect(c.newByReferringParty.employment_service.total).toBe(1);
    expect(c.newByAgeBand['25-29'].man).toBe(1);
    expect(c.exited.total).toBe(2);
    expect(c.socialAssistance).toEqual({ atStart: 1, atExit: 1 });
    // b: 1 day, a: 121 days → median 61
    expect(c.medianDaysEnrolled).toBe(61);
  });

  it('gives shares per category, null where nobody exited', () => {
    const q1 = computePeriodCounts(facts, Q1);
    expect(exitShare(q1, 'work_or_studies')).toEqual({ woman: null, man: 1, unspecified: 0, total: 0.5 });
    const q2 = computePeriodCounts(facts, Q2);
    expect(exitShare(q2, 'ordinary_intervention')).toEqual({
      woman: 0,
      man: 1,
      unspecified: null,
      total: 0.5,
    });
    expect(exitShare(computePeriodCounts([], Q1), 'work_or_studies').total).toBeNull();
  });

  it('stores compactly and expands to the same counts', () => {
    const c = computePeriodCounts(facts, Q1);
    const stored = compactCounts(c);
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(c).length);
    expect(expandCounts(JSON.parse(JSON.stringify(stored)))).toEqual(c);
  });
});

describe('median', () => {
  it.each([
    [[], null],
    [[5], 5],
    [[3, 1], 2],
    [[9, 1, 5], 5],
  ])('median(%j) = %s', (values, expected) => expect(median(values)).toBe(expected));
});

describe('addCounts', () => {
  it('adds every count of disjoint scopes and leaves the median to the caller', () => {
    const one = computePeriodCounts(
      [fact({ participantId: 'x', exitedOn: '2024-02-01', exitReason: 'work' })],
      Q1,
    );
    const two = computePeriodCounts([fact({ participantId: 'x', gender: 'man', municipality: '0138' })], Q1);
    const sum = addCounts([one, two]);
    expect(sum.active).toEqual({ woman: 1, man: 1, unspecified: 0, total: 2 });
    expect(sum.exitsByReason.work.total).toBe(1);
    expect(sum.newByMunicipality).toEqual({
      '0136': { woman: 1, man: 0, unspecified: 0, total: 1 },
      '0138': { woman: 0, man: 1, unspecified: 0, total: 1 },
    });
    // the same code in two associations is two persons in the regional view
    expect(sum.persons.active).toBe(2);
    expect(sum.medianDaysEnrolled).toBeNull();
  });
});
