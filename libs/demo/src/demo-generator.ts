// Generates the demo association as plain data: pure and deterministic (same today + seed → same output),
// with no database and no Nest, so the shape and the statistics can be unit-tested. demo-data.ts writes it.
import {
  addDays,
  daysBetween,
  INCOME_SUPPORTS,
  type AgeBand,
  type EducationLevel,
  type ExitReason,
  type Gender,
  type IncomeSupport,
  type IsoDate,
  type MemberOrganisationKind,
  type ReferringParty,
  type Role,
} from '@app/domain';

export type InterventionKind = 'youth' | 'adult' | 'esf';

export interface DemoAssociation {
  name: string;
  organisationNumber: string;
  county: string;
  disclosureThreshold: number;
}

export interface DemoMember {
  kind: MemberOrganisationKind;
  name: string;
  municipalityCode: string | null;
}

export interface DemoIntervention {
  /** Stable key used to link goals, users and enrolments before the database hands out ids. */
  key: string;
  kind: InterventionKind;
  name: string;
  description: string;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  municipalityCodes: string[];
}

export interface DemoGoal {
  interventionKey: string;
  year: number;
  participants: number;
  newParticipants: number;
  shareWorkOrStudies: number;
  shareOrdinaryIntervention: number;
}

export interface DemoUser {
  email: string;
  password: string;
  role: Role;
  displayName: string;
  /** Evaluators and board members are scoped to the association, coordinators to interventions. */
  associationScoped: boolean;
  interventionKeys: string[];
}

export interface DemoEnrolment {
  interventionKey: string;
  participantCode: string;
  startedOn: IsoDate;
  referringParty: ReferringParty;
  gender: Gender;
  ageBand: AgeBand;
  municipalityCode: string;
  educationLevel: EducationLevel;
  incomeSupportAtStart: IncomeSupport[];
  exitedOn: IsoDate | null;
  exitReason: ExitReason | null;
  incomeSupportAtExit: IncomeSupport[] | null;
  /** Day the enrolment was withdrawn as a registration error; null for live enrolments. */
  removedOn: IsoDate | null;
}

export interface DemoData {
  association: DemoAssociation;
  members: DemoMember[];
  interventions: DemoIntervention[];
  goals: DemoGoal[];
  users: DemoUser[];
  /** Distinct pseudonymous codes (one participant row each); fewer than enrolments. */
  participants: { code: string }[];
  enrolments: DemoEnrolment[];
}

export const DEMO_ORGANISATION_NUMBER = '222000-0001';
export const DEMO_PASSWORD = 'Demo-losenord-2026';
/** Fixed so `npm run demo` loads the same data for the same day. */
export const DEMO_SEED = 20_260_101;

// ---------------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: tiny, fast and good enough for demo data; Math.random cannot be seeded. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Relative weights by code; insertion order is kept, so draws are reproducible. */
type Weights<T extends string> = Partial<Record<T, number>>;

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T extends string>(weights: Weights<T>): T {
    const entries = Object.entries(weights) as [T, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** Standard normal by Box–Muller (1 − u keeps the logarithm finite). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }
}

// ---------------------------------------------------------------------------------------------------
// The association, its members and interventions

const HANINGE = '0136';
const TYRESO = '0138';
const NYNASHAMN = '0192';
const ALL_MUNICIPALITIES = [HANINGE, TYRESO, NYNASHAMN];

/** Roughly the population shares of the three municipalities: participants follow population. */
const MUNICIPALITY_WEIGHT: Record<string, number> = { [HANINGE]: 0.53, [TYRESO]: 0.29, [NYNASHAMN]: 0.18 };

interface InterventionPlan {
  key: string;
  kind: InterventionKind;
  name: string;
  description: string;
  municipalityCodes: string[];
  /** Prefix of the insats' own case numbers, used as pseudonymous participant codes. */
  codePrefix: string;
  /** Started on the first of the month this many months before today's month. */
  startedMonthsAgo: number;
  /** Ends on the last day of the month this many months after today's month (project funding). */
  endsInMonths: number | null;
  newPerYear: number;
}

const INTERVENTION_PLANS: readonly InterventionPlan[] = [
  {
    key: 'unga-haninge',
    kind: 'youth',
    name: 'Unga till arbete Haninge',
    description:
      'Samordnat stöd för unga 16–29 år i Haninge som varken arbetar eller studerar. Socialtjänst, ' +
      'Arbetsförmedlingen och KAA bemannar ett gemensamt team med coacher och studie- och yrkesvägledare.',
    municipalityCodes: [HANINGE],
    codePrefix: 'HAN',
    startedMonthsAgo: 27,
    endsInMonths: null,
    newPerYear: 90,
  },
  {
    key: 'unga-tyreso',
    kind: 'youth',
    name: 'Unga till arbete Tyresö',
    description:
      'Teambaserat stöd för unga 16–29 år i Tyresö mot arbete eller studier, med individuell coachning, ' +
      'praktik och samverkan med vuxenutbildningen.',
    municipalityCodes: [TYRESO],
    codePrefix: 'TYR',
    startedMonthsAgo: 26,
    endsInMonths: null,
    newPerYear: 65,
  },
  {
    key: 'unga-nynashamn',
    kind: 'youth',
    name: 'Unga vuxna Nynäshamn',
    description:
      'Stöd för unga vuxna i Nynäshamn med behov av samordnade insatser från kommun, region och ' +
      'Arbetsförmedlingen, med fokus på psykisk hälsa och vägen tillbaka till studier.',
    municipalityCodes: [NYNASHAMN],
    codePrefix: 'NYN',
    startedMonthsAgo: 26,
    endsInMonths: null,
    newPerYear: 55,
  },
  {
    key: 'vuxenteamet',
    kind: 'adult',
    name: 'Vuxenteamet Södertörn',
    description:
      'Gemensamt team för personer 25–66 år i Haninge, Tyresö och Nynäshamn som har varit långt från ' +
      'arbetsmarknaden, ofta med sjukskrivning eller försörjningsstöd. Försäkringskassan och vården deltar ' +
      'i kartläggning och rehabiliteringsplan.',
    municipalityCodes: ALL_MUNICIPALITIES,
    codePrefix: 'VUX',
    startedMonthsAgo: 27,
    endsInMonths: null,
    newPerYear: 80,
  },
  {
    key: 'esf-steget-vidare',
    kind: 'esf',
    name: 'ESF-projektet Steget vidare',
    description:
      'Projekt delfinansierat av Europeiska socialfonden+ för personer som står långt från arbetsmarknaden. ' +
      'Arbetsträning, språkstöd och stegförflyttning i samverkan mellan förbundets medlemmar.',
    municipalityCodes: ALL_MUNICIPALITIES,
    codePrefix: 'STV',
    startedMonthsAgo: 25,
    endsInMonths: 8,
    newPerYear: 65,
  },
];

function demoAssociation(): DemoAssociation {
  return {
    name: 'Samordningsförbundet Södertörn (demo)',
    organisationNumber: DEMO_ORGANISATION_NUMBER,
    county: 'Stockholms län',
    disclosureThreshold: 3,
  };
}

function demoMembers(): DemoMember[] {
  return [
    { kind: 'employment_service', name: 'Arbetsförmedlingen', municipalityCode: null },
    { kind: 'social_insurance', name: 'Försäkringskassan', municipalityCode: null },
    { kind: 'region', name: 'Region Stockholm', municipalityCode: null },
    { kind: 'municipality', name: 'Haninge kommun', municipalityCode: HANINGE },
    { kind: 'municipality', name: 'Tyresö kommun', municipalityCode: TYRESO },
    { kind: 'municipality', name: 'Nynäshamns kommun', municipalityCode: NYNASHAMN },
  ];
}

/** First day of the month `months` months before today's month (negative: after). */
function firstOfMonthBefore(today: IsoDate, months: number): IsoDate {
  const index = Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - 1 - months;
  const month = (index % 12) + 1;
  return `${Math.floor(index / 12)}-${String(month).padStart(2, '0')}-01`;
}

function demoInterventions(today: IsoDate): DemoIntervention[] {
  return INTERVENTION_PLANS.map((plan) => ({
    key: plan.key,
    kind: plan.kind,
    name: plan.name,
    description: plan.description,
    startsOn: firstOfMonthBefore(today, plan.startedMonthsAgo),
    // The last day of month m is the day before the first of month m + 1.
    endsOn:
      plan.endsInMonths === null ? null : addDays(firstOfMonthBefore(today, -plan.endsInMonths - 1), -1),
    municipalityCodes: plan.municipalityCodes,
  }));
}

// ---------------------------------------------------------------------------------------------------
// Goals

const GOAL_SHARES: Record<InterventionKind, { workOrStudies: number; ordinary: number }> = {
  youth: { workOrStudies: 0.45, ordinary: 0.15 },
  adult: { workOrStudies: 0.35, ordinary: 0.2 },
  esf: { workOrStudies: 0.4, ordinary: 0.2 },
};

function roundTo5(n: number): number {
  return Math.max(5, Math.round(n / 5) * 5);
}

/** Goals for the two last full years and the current one; the start year's counts are pro-rated. */
function demoGoals(today: IsoDate, interventions: DemoIntervention[]): DemoGoal[] {
  const currentYear = Number(today.slice(0, 4));
  const goals: DemoGoal[] = [];
  for (const intervention of interventions) {
    const plan = planOf(intervention.key);
    const startYear = Number(intervention.startsOn.slice(0, 4));
    for (let year = currentYear - 2; year <= currentYear; year++) {
      const activeMonths = year === startYear ? 13 - Number(intervention.startsOn.slice(5, 7)) : 12;
      const newParticipants = roundTo5((plan.newPerYear * activeMonths) / 12);
      // After the first year, those still enrolled on 1 January count too.
      const participants = year === startYear ? newParticipants : roundTo5(newParticipants * 1.55);
      // Boards tend to raise the bar a little each year.
      const raise = (year - (currentYear - 2)) * 0.02;
      const shares = GOAL_SHARES[intervention.kind];
      goals.push({
        interventionKey: intervention.key,
        year,
        participants,
        newParticipants,
        shareWorkOrStudies: round2(shares.workOrStudies + raise),
        shareOrdinaryIntervention: round2(shares.ordinary),
      });
    }
  }
  return goals;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function planOf(key: string): InterventionPlan {
  const plan = INTERVENTION_PLANS.find((p) => p.key === key);
  if (!plan) throw new Error(`Unknown demo intervention ${key}`);
  return plan;
}

// ---------------------------------------------------------------------------------------------------
// Users

const YOUTH_KEYS = INTERVENTION_PLANS.filter((p) => p.kind === 'youth').map((p) => p.key);
const ADULT_KEYS = INTERVENTION_PLANS.filter((p) => p.kind !== 'youth').map((p) => p.key);

function demoUsers(): DemoUser[] {
  const user = (
    email: string,
    role: Role,
    displayName: string,
    interventionKeys: string[] = [],
  ): DemoUser => ({
    email,
    password: DEMO_PASSWORD,
    role,
    displayName,
    associationScoped: role === 'evaluator' || role === 'board',
    interventionKeys,
  });
  return [
    user('admin@demo.uppfoljning.se', 'admin', 'Förbundschef (demo)'),
    user('utvarderare@demo.uppfoljning.se', 'evaluator', 'Utvärderare (demo)'),
    user('styrelse@demo.uppfoljning.se', 'board', 'Styrelseledamot (demo)'),
    user('samordnare.unga@demo.uppfoljning.se', 'coordinator', 'Samordnare unga (demo)', YOUTH_KEYS),
    user('samordnare.vuxen@demo.uppfoljning.se', 'coordinator', 'Samordnare vuxen (demo)', ADULT_KEYS),
  ];
}

// ---------------------------------------------------------------------------------------------------
// Participant attributes at enrolment

const GENDER_WEIGHTS: Record<InterventionKind, Weights<Gender>> = {
  // Youth teams reach more young men than women, as associations' annual reports show.
  youth: { man: 60, woman: 38, unspecified: 2 },
  adult: { man: 44, woman: 54, unspecified: 2 },
  esf: { man: 51, woman: 47, unspecified: 2 },
};

const AGE_WEIGHTS: Record<InterventionKind, Weights<AgeBand>> = {
  youth: { '16-18': 22, '19-20': 24, '21-24': 34, '25-29': 18, unspecified: 2 },
  adult: { '25-29': 12, '30-39': 28, '40-49': 27, '50-59': 23, '60-66': 8, unspecified: 2 },
  esf: {
    '19-20': 5,
    '21-24': 14,
    '25-29': 17,
    '30-39': 26,
    '40-49': 20,
    '50-59': 14,
    '60-66': 3,
    unspecified: 1,
  },
};

const TEENS: readonly AgeBand[] = ['16-18', '19-20'];

/** KAA and school only refer teenagers; older youths come through social services and AF. */
function referringWeights(kind: InterventionKind, ageBand: AgeBand): Weights<ReferringParty> {
  if (kind === 'youth' && TEENS.includes(ageBand)) {
    return {
      municipal_activity_responsibility: 35,
      school: 15,
      social_services: 25,
      employment_service: 10,
      healthcare: 8,
      self_referral: 4,
      other: 3,
    };
  }
  if (kind === 'youth') {
    return {
      social_services: 38,
      employment_service: 33,
      healthcare: 10,
      social_insurance: 5,
      other_intervention: 5,
      self_referral: 5,
      municipal_activity_responsibility: 2,
      other: 2,
    };
  }
  if (kind === 'adult') {
    return {
      social_insurance: 30,
      employment_service: 27,
      healthcare: 18,
      social_services: 18,
      other_intervention: 3,
      self_referral: 2,
      other: 2,
    };
  }
  return {
    employment_service: 35,
    social_services: 30,
    social_insurance: 14,
    healthcare: 10,
    other_intervention: 4,
    self_referral: 5,
    other: 2,
  };
}

function educationWeights(ageBand: AgeBand): Weights<EducationLevel> {
  if (ageBand === '16-18') return { none_completed: 50, compulsory: 45, upper_secondary: 3, unspecified: 2 };
  if (ageBand === '19-20' || ageBand === '21-24') {
    return { none_completed: 25, compulsory: 42, upper_secondary: 28, post_secondary: 2, unspecified: 3 };
  }
  if (ageBand === 'unspecified') return { compulsory: 20, upper_secondary: 20, unspecified: 60 };
  return { none_completed: 12, compulsory: 30, upper_secondary: 38, post_secondary: 14, unspecified: 6 };
}

/** Orders codes as the code list does and drops duplicates; 'none'/'unspecified' only ever stand alone. */
function normaliseSupports(supports: Iterable<IncomeSupport>): IncomeSupport[] {
  const set = new Set(supports);
  const benefits = INCOME_SUPPORTS.filter((s) => set.has(s) && s !== 'none' && s !== 'unspecified');
  if (benefits.length > 0) return benefits;
  return set.has('unspecified') ? ['unspecified'] : ['none'];
}

const BAND_LOWER_AGE: Record<AgeBand, number> = {
  '16-18': 16,
  '19-20': 19,
  '21-24': 21,
  '25-29': 25,
  '30-39': 30,
  '40-49': 40,
  '50-59': 50,
  '60-66': 60,
  unspecified: 30,
};

/**
 * Independent draws leave about a third with no support at all: plausible for teenagers living at home,
 * too many for adults, so half of those aged 21+ without a draw get one common benefit instead.
 */
const SINGLE_SUPPORT: Record<InterventionKind, Weights<IncomeSupport>> = {
  youth: { activity_support: 50, unemployment_benefit: 20, salary: 15, sickness_benefit: 15 },
  adult: { sickness_benefit: 40, activity_support: 30, unemployment_benefit: 20, salary: 10 },
  esf: { activity_support: 50, unemployment_benefit: 25, sickness_benefit: 15, salary: 10 },
};

/** Each benefit drawn independently (several may apply), limited to the ages that can receive it. */
function incomeSupportAtStart(rng: Random, kind: InterventionKind, ageBand: AgeBand): IncomeSupport[] {
  if (rng.chance(0.03)) return ['unspecified'];
  const age = BAND_LOWER_AGE[ageBand];
  const p: Partial<Record<IncomeSupport, number>> = {
    social_assistance: kind === 'esf' ? 0.55 : 0.5,
    activity_compensation: age >= 19 && age < 30 ? 0.1 : 0,
    sickness_compensation: kind !== 'youth' && age >= 30 ? 0.07 : 0,
    sickness_benefit: kind === 'adult' ? 0.22 : age >= 19 ? 0.05 : 0,
    unemployment_benefit: kind === 'youth' ? 0.02 : 0.07,
    activity_support: kind === 'youth' ? 0.18 : kind === 'esf' ? 0.2 : 0.1,
    salary: 0.03,
    student_aid: age < 25 ? 0.05 : 0.01,
  };
  const drawn = (Object.keys(p) as IncomeSupport[]).filter((s) => rng.chance(p[s] ?? 0));
  if (drawn.length === 0 && age >= 21 && rng.chance(0.5)) drawn.push(rng.pick(SINGLE_SUPPORT[kind]));
  return normaliseSupports(drawn);
}

function drawMunicipality(rng: Random, codes: string[]): string {
  return rng.pick(Object.fromEntries(codes.map((c) => [c, MUNICIPALITY_WEIGHT[c] ?? 1])));
}

// ---------------------------------------------------------------------------------------------------
// Start dates and time enrolled

/** Intake per calendar month (Jan..Dec): low over the summer holidays, peaks after them and in spring. */
const MONTH_INTAKE = [0.95, 1.1, 1.1, 1.0, 1.0, 0.8, 0.35, 0.75, 1.2, 1.15, 1.05, 0.7];

/** A start date in [from, today], by rejection sampling on the monthly intake (a new team starts slowly). */
function drawStartDate(rng: Random, from: IsoDate, today: IsoDate): IsoDate {
  const span = daysBetween(from, today);
  for (;;) {
    const offset = rng.int(0, span);
    const date = addDays(from, offset);
    const rampUp = offset < 60 ? 0.6 : 1;
    if (rng.float() * 1.2 < MONTH_INTAKE[Number(date.slice(5, 7)) - 1] * rampUp) return date;
  }
}

const MEDIAN_DAYS: Record<InterventionKind, number> = { youth: 200, adult: 260, esf: 230 };

/**
 * Days from start to exit: mostly log-normal around 7–9 months (3–18 months typical), plus a minority
 * of long stays, so that roughly a quarter of those enrolled more than a year ago are still enrolled.
 */
function drawDaysEnrolled(rng: Random, kind: InterventionKind): number {
  if (rng.chance(0.12)) return rng.int(600, 1000);
  const days = Math.round(MEDIAN_DAYS[kind] * Math.exp(0.75 * rng.normal()));
  return Math.min(900, Math.max(14, days));
}

// ---------------------------------------------------------------------------------------------------
// Exits

const EXIT_WEIGHTS: Record<InterventionKind, Weights<ExitReason>> = {
  youth: {
    work: 30,
    studies: 23,
    employment_service_programme: 10,
    municipal_programme: 8,
    daily_activity: 2,
    other_intervention: 4,
    continued_rehabilitation: 5,
    sickness: 3,
    moved: 5,
    parental_leave: 3,
    withdrew: 5,
    other: 2,
  },
  adult: {
    work: 30,
    studies: 10,
    employment_service_programme: 10,
    municipal_programme: 6,
    daily_activity: 4,
    other_intervention: 5,
    continued_rehabilitation: 13,
    sickness: 9,
    moved: 3,
    parental_leave: 2,
    withdrew: 5,
    other: 3,
  },
  esf: {
    work: 32,
    studies: 14,
    employment_service_programme: 10,
    municipal_programme: 7,
    daily_activity: 2,
    other_intervention: 5,
    continued_rehabilitation: 10,
    sickness: 6,
    moved: 4,
    parental_leave: 3,
    withdrew: 5,
    other: 2,
  },
};

const HEALTH_BENEFITS: readonly IncomeSupport[] = [
  'sickness_benefit',
  'sickness_compensation',
  'activity_compensation',
];

/** Support at exit follows the exit reason; social assistance is mostly left behind by those who move on. */
function incomeSupportAtExit(rng: Random, reason: ExitReason, atStart: IncomeSupport[]): IncomeSupport[] {
  if (atStart.includes('unspecified') && rng.chance(0.5)) return ['unspecified'];
  const hadSocialAssistance = atStart.includes('social_assistance');
  const keepSocialAssistance = (p: number): IncomeSupport[] =>
    hadSocialAssistance && rng.chance(p) ? ['social_assistance'] : [];
  switch (reason) {
    case 'work':
      return normaliseSupports(['salary', ...keepSocialAssistance(0.1)]);
    case 'studies':
      return normaliseSupports(['student_aid', ...keepSocialAssistance(0.1)]);
    case 'employment_service_programme':
      return normaliseSupports(['activity_support', ...keepSocialAssistance(0.3)]);
    case 'municipal_programme':
      // Often a municipal subsidised job (extratjänst), hence salary.
      return normaliseSupports([
        ...(rng.chance(0.35) ? ['salary' as const] : []),
        ...keepSocialAssistance(0.5),
      ]);
    case 'sickness':
    case 'continued_rehabilitation': {
      const health = atStart.filter((s) => HEALTH_BENEFITS.includes(s));
      const sick = reason === 'sickness' && rng.chance(0.5) ? ['sickness_benefit' as const] : [];
      return normaliseSupports([...health, ...sick, ...keepSocialAssistance(0.75)]);
    }
    default:
      return normaliseSupports([
        ...atStart.filter((s) => s !== 'social_assistance'),
        ...keepSocialAssistance(0.8),
      ]);
  }
}

// ---------------------------------------------------------------------------------------------------
// Enrolments

/** Everything about a participation except its code, which is numbered once the start dates are sorted. */
type Draft = Omit<DemoEnrolment, 'participantCode' | 'removedOn'>;

function draftEnrolment(
  rng: Random,
  intervention: DemoIntervention,
  startedOn: IsoDate,
  today: IsoDate,
): Draft {
  const kind = intervention.kind;
  const ageBand = rng.pick(AGE_WEIGHTS[kind]);
  const atStart = incomeSupportAtStart(rng, kind, ageBand);
  const draft: Draft = {
    interventionKey: intervention.key,
    startedOn,
    referringParty: rng.pick(referringWeights(kind, ageBand)),
    gender: rng.pick(GENDER_WEIGHTS[kind]),
    ageBand,
    municipalityCode: drawMunicipality(rng, intervention.municipalityCodes),
    educationLevel: rng.pick(educationWeights(ageBand)),
    incomeSupportAtStart: atStart,
    exitedOn: null,
    exitReason: null,
    incomeSupportAtExit: null,
  };
  drawExit(rng, draft, today);
  return draft;
}

/** Sets the exit fields when the drawn time enrolled has already passed; otherwise leaves it open. */
function drawExit(rng: Random, draft: Draft, today: IsoDate): void {
  const kind = kindOf(draft.interventionKey);
  const exitedOn = addDays(draft.startedOn, drawDaysEnrolled(rng, kind));
  if (exitedOn > today) return;
  const reason = rng.pick(EXIT_WEIGHTS[kind]);
  draft.exitedOn = exitedOn;
  draft.exitReason = reason;
  draft.incomeSupportAtExit = incomeSupportAtExit(rng, reason, draft.incomeSupportAtStart);
}

function kindOf(key: string): InterventionKind {
  return planOf(key).kind;
}

/** Intake over the active period, about ±8 % around the planned yearly rate. */
function enrolmentCount(rng: Random, plan: InterventionPlan, startsOn: IsoDate, today: IsoDate): number {
  const years = daysBetween(startsOn, today) / 365.25;
  return Math.round(plan.newPerYear * years * (0.92 + 0.16 * rng.float()));
}

/** Codes like 'HAN-2025-0042': the insats' own running number per year, never a personal number. */
function numberCodes(drafts: Draft[], prefix: string): DemoEnrolment[] {
  const sorted = [...drafts].sort((a, b) =>
    a.startedOn < b.startedOn ? -1 : a.startedOn > b.startedOn ? 1 : 0,
  );
  const counters = new Map<string, number>();
  return sorted.map((draft) => {
    const year = draft.startedOn.slice(0, 4);
    const n = (counters.get(year) ?? 0) + 1;
    counters.set(year, n);
    return { ...draft, participantCode: `${prefix}-${year}-${String(n).padStart(4, '0')}`, removedOn: null };
  });
}

function interventionEnrolments(
  rng: Random,
  intervention: DemoIntervention,
  today: IsoDate,
): DemoEnrolment[] {
  const plan = planOf(intervention.key);
  const count = enrolmentCount(rng, plan, intervention.startsOn, today);
  const drafts: Draft[] = [];
  for (let i = 0; i < count; i++) {
    drafts.push(draftEnrolment(rng, intervention, drawStartDate(rng, intervention.startsOn, today), today));
  }
  return numberCodes(drafts, plan.codePrefix);
}

/** Where someone who leaves one insats for another typically goes next. */
const TRANSFER_TARGET: Record<InterventionKind, string> = {
  youth: 'esf-steget-vidare',
  adult: 'esf-steget-vidare',
  esf: 'vuxenteamet',
};

const TRANSFER_SHARE = 0.03;

/**
 * About 3 % of participations are a person moving on to a second insats under the same code: the first
 * enrolment exits to 'other_intervention' and the second is referred by 'other_intervention'. Only exits
 * already in the 'other' category are re-labelled, so the shares to work/studies stay as drawn.
 */
function addTransfers(
  rng: Random,
  enrolments: DemoEnrolment[],
  interventions: DemoIntervention[],
  today: IsoDate,
) {
  const wanted = Math.round(enrolments.length * TRANSFER_SHARE);
  const byKey = new Map(interventions.map((i) => [i.key, i]));
  const moved: DemoEnrolment[] = [];
  for (const source of rng.shuffled(enrolments)) {
    if (moved.length >= wanted) break;
    const target = byKey.get(TRANSFER_TARGET[kindOf(source.interventionKey)]);
    const startedOn = source.exitedOn && addDays(source.exitedOn, rng.int(7, 45));
    if (!target || !startedOn || !isTransferable(source, target, startedOn, today)) continue;
    source.exitReason = 'other_intervention';
    moved.push(transferEnrolment(rng, source, target, startedOn, today));
  }
  enrolments.push(...moved);
}

const OTHER_CATEGORY: readonly ExitReason[] = [
  'daily_activity',
  'other_intervention',
  'continued_rehabilitation',
  'moved',
  'parental_leave',
  'withdrew',
  'other',
];

function isTransferable(
  source: DemoEnrolment,
  target: DemoIntervention,
  startedOn: IsoDate,
  today: IsoDate,
): boolean {
  return (
    source.exitReason !== null &&
    OTHER_CATEGORY.includes(source.exitReason) &&
    startedOn <= today &&
    startedOn >= target.startsOn &&
    (target.endsOn === null || startedOn <= target.endsOn) &&
    target.municipalityCodes.includes(source.municipalityCode) &&
    // The adult team takes people from 25; age bands are kept as at the first enrolment.
    (target.kind !== 'adult' || BAND_LOWER_AGE[source.ageBand] >= 25) &&
    source.ageBand !== '16-18'
  );
}

function transferEnrolment(
  rng: Random,
  source: DemoEnrolment,
  target: DemoIntervention,
  startedOn: IsoDate,
  today: IsoDate,
): DemoEnrolment {
  const draft: Draft = {
    interventionKey: target.key,
    startedOn,
    referringParty: 'other_intervention',
    gender: source.gender,
    ageBand: source.ageBand,
    municipalityCode: source.municipalityCode,
    educationLevel: source.educationLevel,
    incomeSupportAtStart: source.incomeSupportAtExit ?? source.incomeSupportAtStart,
    exitedOn: null,
    exitReason: null,
    incomeSupportAtExit: null,
  };
  drawExit(rng, draft, today);
  return { ...draft, participantCode: source.participantCode, removedOn: null };
}

const REGISTRATION_ERROR_SHARE = 0.012;

/** A handful of enrolments withdrawn as registration errors a few days after they were registered. */
function markRegistrationErrors(rng: Random, enrolments: DemoEnrolment[], today: IsoDate): void {
  const transferredCodes = codesInSeveralEnrolments(enrolments);
  for (const enrolment of enrolments) {
    if (transferredCodes.has(enrolment.participantCode)) continue; // keep the persons-vs-participations story
    if (daysBetween(enrolment.startedOn, today) < 11 || !rng.chance(REGISTRATION_ERROR_SHARE)) continue;
    enrolment.removedOn = addDays(enrolment.startedOn, rng.int(1, 10));
  }
}

function codesInSeveralEnrolments(enrolments: DemoEnrolment[]): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const e of enrolments) (seen.has(e.participantCode) ? repeated : seen).add(e.participantCode);
  return repeated;
}

function distinctParticipants(enrolments: DemoEnrolment[]): { code: string }[] {
  return [...new Set(enrolments.map((e) => e.participantCode))].sort().map((code) => ({ code }));
}

// ---------------------------------------------------------------------------------------------------

/** The whole demo association as of `today` (YYYY-MM-DD, Europe/Stockholm). Same input → same output. */
export function generateDemoData(today: IsoDate, seed: number = DEMO_SEED): DemoData {
  const rng = new Random(seed);
  const interventions = demoInterventions(today);
  const enrolments = interventions.flatMap((i) => interventionEnrolments(rng, i, today));
  addTransfers(rng, enrolments, interventions, today);
  markRegistrationErrors(rng, enrolments, today);
  return {
    association: demoAssociation(),
    members: demoMembers(),
    interventions,
    goals: demoGoals(today, interventions),
    users: demoUsers(),
    participants: distinctParticipants(enrolments),
    enrolments,
  };
}
