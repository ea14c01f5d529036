import {
  AGE_BANDS,
  containsPersonalNumber,
  EDUCATION_LEVELS,
  exitCategoryOf,
  GENDERS,
  INCOME_SUPPORTS,
  isCalendarDate,
  looksLikePersonalNumber,
  REFERRING_PARTIES,
  ROLES,
  type ExitCategory,
} from '@app/domain';
import {
  DEMO_ORGANISATION_NUMBER,
  generateDemoData,
  type DemoData,
  type DemoEnrolment,
} from './demo-generator';

const TODAY = '2026-11-23';
const SEED = 4711;

describe('generateDemoData', () => {
  const data: DemoData = generateDemoData(TODAY, SEED);
  const interventionByKey = new Map(data.interventions.map((i) => [i.key, i]));
  const live = data.enrolments.filter((e) => e.removedOn === null);
  const exited = live.filter((e) => e.exitReason !== null);

  function shareOf(category: ExitCategory, enrolments: DemoEnrolment[]): number {
    const withExit = enrolments.filter((e) => e.exitReason !== null);
    return withExit.filter((e) => exitCategoryOf(e.exitReason!) === category).length / withExit.length;
  }

  it('describes a whole association: members, three municipalities, five interventions, goals', () => {
    expect(data.association.organisationNumber).toBe(DEMO_ORGANISATION_NUMBER);
    expect(data.interventions.length).toBeGreaterThanOrEqual(5);
    const municipalities = new Set(data.interventions.flatMap((i) => i.municipalityCodes));
    expect(municipalities.size).toBeGreaterThanOrEqual(3);
    expect(data.members.filter((m) => m.kind === 'municipality').map((m) => m.municipalityCode)).toEqual(
      expect.arrayContaining([...municipalities]),
    );
    expect(new Set(data.interventions.map((i) => i.kind))).toEqual(new Set(['youth', 'adult', 'esf']));
    for (const i of data.interventions) {
      expect(i.startsOn <= '2024-11-23').toBe(true); // at least two years before today
      if (i.endsOn !== null) expect(i.endsOn > TODAY).toBe(true);
      expect(containsPersonalNumber(i.description)).toBe(false);
      const years = data.goals.filter((g) => g.interventionKey === i.key).map((g) => g.year);
      expect(years).toEqual([2024, 2025, 2026]);
    }
    for (const g of data.goals) {
      expect(g.shareWorkOrStudies).toBeGreaterThanOrEqual(0.35);
      expect(g.shareWorkOrStudies).toBeLessThanOrEqual(0.5);
      expect(g.shareOrdinaryIntervention).toBeGreaterThanOrEqual(0.1);
      expect(g.shareOrdinaryIntervention).toBeLessThanOrEqual(0.25);
      expect(g.participants).toBeGreaterThanOrEqual(g.newParticipants);
    }
  });

  it('has users of every role, with lower-case emails and the right scopes', () => {
    expect(new Set(data.users.map((u) => u.role))).toEqual(new Set(ROLES));
    for (const u of data.users) {
      expect(u.email).toBe(u.email.toLowerCase());
      expect(u.password.length).toBeGreaterThanOrEqual(12);
      if (u.role === 'coordinator') expect(u.interventionKeys.length).toBeGreaterThan(0);
      else expect(u.interventionKeys).toEqual([]);
      expect(u.associationScoped).toBe(u.role === 'evaluator' || u.role === 'board');
      for (const key of u.interventionKeys) expect(interventionByKey.has(key)).toBe(true);
    }
  });

  it('generates two years of enrolments at a plausible volume', () => {
    expect(data.enrolments.length).toBeGreaterThanOrEqual(600);
    expect(data.enrolments.length).toBeLessThanOrEqual(900);
    for (const i of data.interventions) {
      const perYear = data.enrolments.filter(
        (e) => e.interventionKey === i.key && e.startedOn > '2025-11-23',
      );
      expect(perYear.length).toBeGreaterThanOrEqual(50);
      expect(perYear.length).toBeLessThanOrEqual(150);
    }
  });

  it('keeps every enrolment within the invariants the database and the API enforce', () => {
    for (const e of data.enrolments) {
      const intervention = interventionByKey.get(e.interventionKey)!;
      expect(intervention).toBeDefined();
      expect(isCalendarDate(e.startedOn)).toBe(true);
      expect(e.startedOn >= intervention.startsOn).toBe(true);
      expect(e.startedOn <= TODAY).toBe(true);
      expect(e.exitedOn === null).toBe(e.exitReason === null);
      expect(e.exitedOn === null).toBe(e.incomeSupportAtExit === null);
      if (e.exitedOn !== null) {
        expect(isCalendarDate(e.exitedOn)).toBe(true);
        expect(e.exitedOn >= e.startedOn).toBe(true);
        expect(e.exitedOn <= TODAY).toBe(true);
      }
      if (e.removedOn !== null) expect(e.removedOn >= e.startedOn && e.removedOn <= TODAY).toBe(true);
      expect(intervention.municipalityCodes).toContain(e.municipalityCode);
      expect(REFERRING_PARTIES).toContain(e.referringParty);
      expect(GENDERS).toContain(e.gender);
      expect(AGE_BANDS).toContain(e.ageBand);
      expect(EDUCATION_LEVELS).toContain(e.educationLevel);
      for (const supports of [e.incomeSupportAtStart, e.incomeSupportAtExit ?? ['none' as const]]) {
        expect(supports.length).toBeGreaterThan(0);
        expect(new Set(supports).size).toBe(supports.length);
        for (const s of supports) expect(INCOME_SUPPORTS).toContain(s);
        if (supports.includes('none') || supports.includes('unspecified')) expect(supports).toHaveLength(1);
      }
    }
  });

  it('uses pseudonymous codes that never look like a personal number', () => {
    for (const { code } of data.participants) {
      expect(looksLikePersonalNumber(code)).toBe(false);
      expect(containsPersonalNumber(code)).toBe(false);
      expect(code).toMatch(/^[A-Z]{3}-\d{4}-\d{4}$/);
    }
    expect(new Set(data.participants.map((p) => p.code)).size).toBe(data.participants.length);
    expect(new Set(data.enrolments.map((e) => e.participantCode))).toEqual(
      new Set(data.participants.map((p) => p.code)),
    );
  });

  it('has at most one open enrolment per participant and intervention, and some persons in two', () => {
    const open = live
      .filter((e) => e.exitedOn === null)
      .map((e) => `${e.interventionKey}/${e.participantCode}`);
    expect(new Set(open).size).toBe(open.length);
    const persons = data.participants.length;
    expect(persons).toBeLessThan(data.enrolments.length);
    expect((data.enrolments.length - persons) / data.enrolments.length).toBeGreaterThan(0.015);
    expect((data.enrolments.length - persons) / data.enrolments.length).toBeLessThan(0.05);
  });

  it('withdraws about one per cent as registration errors', () => {
    const removed = data.enrolments.length - live.length;
    expect(removed).toBeGreaterThan(0);
    expect(removed / data.enrolments.length).toBeLessThan(0.03);
  });

  it('has exit shares like a real association', () => {
    const workOrStudies = shareOf('work_or_studies', live);
    expect(workOrStudies).toBeGreaterThanOrEqual(0.4);
    expect(workOrStudies).toBeLessThanOrEqual(0.7);
    const ordinary = shareOf('ordinary_intervention', live);
    expect(ordinary).toBeGreaterThanOrEqual(0.1);
    expect(ordinary).toBeLessThanOrEqual(0.25);
    // Social assistance is less common at exit than at start among those who exited.
    const atStart = exited.filter((e) => e.incomeSupportAtStart.includes('social_assistance')).length;
    const atExit = exited.filter((e) => e.incomeSupportAtExit!.includes('social_assistance')).length;
    expect(atStart / exited.length).toBeGreaterThanOrEqual(0.4);
    expect(atStart / exited.length).toBeLessThanOrEqual(0.6);
    expect(atExit).toBeLessThan(atStart);
  });

  it('has exited most of those enrolled more than a year ago, and few of the recent ones', () => {
    const older = live.filter((e) => e.startedOn < '2025-11-23');
    const olderExitedShare = older.filter((e) => e.exitedOn !== null).length / older.length;
    expect(olderExitedShare).toBeGreaterThanOrEqual(0.65);
    expect(olderExitedShare).toBeLessThanOrEqual(0.85);
    const recent = live.filter((e) => e.startedOn >= '2026-08-23');
    expect(recent.filter((e) => e.exitedOn === null).length / recent.length).toBeGreaterThan(0.8);
  });

  it('has more men than women in the youth teams, mostly aged 16–29', () => {
    for (const i of data.interventions.filter((x) => x.kind === 'youth')) {
      const youth = live.filter((e) => e.interventionKey === i.key);
      const men = youth.filter((e) => e.gender === 'man').length;
      const women = youth.filter((e) => e.gender === 'woman').length;
      expect(men).toBeGreaterThan(women);
      const young = youth.filter((e) => ['16-18', '19-20', '21-24', '25-29'].includes(e.ageBand)).length;
      expect(young / youth.length).toBeGreaterThan(0.9);
    }
    const adults = live.filter((e) => interventionByKey.get(e.interventionKey)!.kind === 'adult');
    expect(adults.every((e) => !['16-18', '19-20', '21-24'].includes(e.ageBand))).toBe(true);
  });

  it('is deterministic: the same day and seed give the same data', () => {
    expect(generateDemoData(TODAY, SEED)).toEqual(data);
    expect(generateDemoData(TODAY, SEED + 1)).not.toEqual(data);
  });

  it('holds its shape on other days and seeds', () => {
    for (const [today, seed] of [
      ['2025-01-01', 1],
      ['2027-07-15', 99],
      ['2028-02-29', 20_260_101],
    ] as const) {
      const other = generateDemoData(today, seed);
      const otherLive = other.enrolments.filter((e) => e.removedOn === null);
      expect(shareOf('work_or_studies', otherLive)).toBeGreaterThanOrEqual(0.4);
      expect(shareOf('work_or_studies', otherLive)).toBeLessThanOrEqual(0.7);
      for (const e of other.enrolments) {
        expect(e.exitedOn === null || (e.exitedOn >= e.startedOn && e.exitedOn <= today)).toBe(true);
        expect(e.startedOn <= today).toBe(true);
      }
    }
  });
});
