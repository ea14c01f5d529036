// The one Swedish label catalogue, shared by the web pages and the exported reports.
import type {
  AgeBand,
  EducationLevel,
  ExitCategory,
  ExitReason,
  Gender,
  IncomeSupport,
  MemberOrganisationKind,
  ReferringParty,
  Role,
} from './codes';

export const GENDER_LABELS: Record<Gender, string> = {
  woman: 'Kvinna',
  man: 'Man',
  unspecified: 'Ej angett',
};
export const GENDER_PLURAL_LABELS: Record<Gender, string> = {
  woman: 'Kvinnor',
  man: 'Män',
  unspecified: 'Ej angett',
};

export const REFERRING_PARTY_LABELS: Record<ReferringParty, string> = {
  employment_service: 'Arbetsförmedlingen',
  social_insurance: 'Försäkringskassan',
  social_services: 'Socialtjänst/kommunen',
  municipal_activity_responsibility: 'KAA (kommunalt aktivitetsansvar)',
  school: 'Skolan',
  healthcare: 'Vården/regionen',
  lss_daily_activity: 'Daglig verksamhet/LSS',
  other_intervention: 'Annan insats',
  self_referral: 'Egen anmälan',
  other: 'Annan',
};

export const AGE_BAND_LABELS: Record<AgeBand, string> = {
  '16-18': '16–18 år',
  '19-20': '19–20 år',
  '21-24': '21–24 år',
  '25-29': '25–29 år',
  '30-39': '30–39 år',
  '40-49': '40–49 år',
  '50-59': '50–59 år',
  '60-66': '60–66 år',
  unspecified: 'Ej angett',
};

export const EDUCATION_LEVEL_LABELS: Record<EducationLevel, string> = {
  none_completed: 'Ej avslutad grundskola',
  compulsory: 'Grundskola',
  upper_secondary: 'Gymnasium',
  post_secondary: 'Eftergymnasial',
  unspecified: 'Ej angivet',
};

export const INCOME_SUPPORT_LABELS: Record<IncomeSupport, string> = {
  social_assistance: 'Försörjningsstöd/ekonomiskt bistånd',
  activity_compensation: 'Aktivitetsersättning',
  sickness_compensation: 'Sjukersättning',
  sickness_benefit: 'Sjukpenning',
  unemployment_benefit: 'A-kassa',
  activity_support: 'Aktivitetsstöd/etableringsersättning',
  salary: 'Lön',
  student_aid: 'Studiemedel',
  none: 'Ingen ersättning',
  unspecified: 'Okänt',
};

export const EXIT_REASON_LABELS: Record<ExitReason, string> = {
  work: 'Arbete',
  studies: 'Studier',
  employment_service_programme: 'Arbetsinriktad insats hos AF',
  municipal_programme: 'Arbetsinriktad insats hos kommunen',
  daily_activity: 'Daglig verksamhet/sysselsättning',
  other_intervention: 'Annan insats',
  continued_rehabilitation: 'Fortsatt rehabilitering/vård',
  sickness: 'Sjukdom',
  moved: 'Flytt',
  parental_leave: 'Föräldraledighet',
  withdrew: 'Avbrutit/medgivande återtaget',
  other: 'Övrigt/okänd anledning',
};

export const EXIT_CATEGORY_LABELS: Record<ExitCategory, string> = {
  work_or_studies: 'Arbete eller studier',
  ordinary_intervention: 'Ordinarie insats',
  other: 'Övrigt',
};

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administratör',
  coordinator: 'Samordnare',
  evaluator: 'Utvärderare',
  board: 'Styrelse',
};

export const MEMBER_ORGANISATION_KIND_LABELS: Record<MemberOrganisationKind, string> = {
  employment_service: 'Arbetsförmedlingen',
  social_insurance: 'Försäkringskassan',
  region: 'Region',
  municipality: 'Kommun',
};

/** Headings of the report tables and exports. */
export const REPORT_LABELS = {
  total: 'Totalt',
  intervention: 'Insats',
  municipality: 'Kommun',
  gender: 'Kön',
  uniquePersons: 'Unika personer',
  ovrigt: 'Övrigt (flytt, föräldraledighet, avbrutit, okänd)',
  tables: {
    results: 'Resultat i siffror',
    goals: 'Mål och resultat',
    newByReferringParty: 'Nya deltagare per anvisande part',
    exitsByGenderAndReason: 'Avslutade deltagare per kön och avslutsorsak',
    exitsByMunicipalityAndReason: 'Avslutade deltagare per kommun och avslutsorsak',
    newByAgeBand: 'Åldersfördelning, nya deltagare (andel)',
    newByEducationLevel: 'Högsta avslutade utbildning, nya deltagare (andel)',
    socialAssistance: 'Försörjningsstöd vid inskrivning och vid avslut (avslutade deltagare)',
    comparison: 'Jämförelse med samma period föregående år',
  },
  /** Excel sheet names: at most 31 characters. */
  sheets: {
    results: 'Resultat i siffror',
    goals: 'Mål och resultat',
    newByReferringParty: 'Nya per anvisande part',
    exitsByGenderAndReason: 'Avslut per kön och orsak',
    exitsByMunicipalityAndReason: 'Avslut per kommun och orsak',
    newByAgeBand: 'Ålder, nya (andel)',
    newByEducationLevel: 'Utbildning, nya (andel)',
    socialAssistance: 'Försörjningsstöd',
    comparison: 'Jämförelse föregående år',
  },
  columns: {
    active: 'Deltagare under perioden',
    new: 'Nya deltagare',
    exited: 'Avslutade',
    exitedWorkOrStudies: 'Avslutade till arbete eller studier',
    shareWorkOrStudies: 'Andel till arbete eller studier',
    shareOrdinaryIntervention: 'Andel till ordinarie insats',
    goalParticipants: 'Mål deltagare',
    goalNew: 'Mål nya deltagare',
    goalShareWorkOrStudies: 'Mål andel arbete eller studier',
    goalShareOrdinary: 'Mål andel ordinarie insats',
    socialAssistanceAtStart: 'Försörjningsstöd vid inskrivning',
    socialAssistanceAtExit: 'Försörjningsstöd vid avslut',
    shareAtStart: 'Andel vid inskrivning',
    shareAtExit: 'Andel vid avslut',
    thisPeriod: 'Perioden',
    previousYear: 'Samma period föregående år',
    change: 'Förändring',
  },
  cover: {
    title: 'Uppföljning – rapport',
    scope: 'Avser',
    period: 'Period',
    asOf: 'Beräknad',
    disclosure: 'Röjandeskydd',
    disclosureOn: (k: number) =>
      `Tillämpat: antal 1–${k - 1} visas som "<${k}", andelar med färre än ${k} i nämnaren visas inte`,
    disclosureOff: 'Inte tillämpat (exakta tal, endast för internt bruk)',
    generated: 'Skapad',
  },
} as const;

/** Indicator surveys (NNS): the anonymous answer form and the "Indikatorenkäter" export sheet. */
export const SURVEY_LABELS = {
  respondentGroups: {
    participant_ongoing: 'Deltagare, pågående insats',
    participant_exit: 'Deltagare vid avslut',
    staff: 'Personal i insatserna',
    board: 'Styrelsen',
    managers: 'Chefsgrupper (styr- och beredningsgrupper)',
    referrers: 'Remittenter',
  },
  form: {
    title: 'Enkät',
    intro: 'Dina svar är anonyma: vi sparar inte vem du är, din IP-adress eller när på dagen du svarade.',
    about: (names: string) => `Enkäten gäller insatsen ${names}.`,
    aboutAssociation: (name: string) => `Enkäten gäller ${name}.`,
    optional: 'Du kan hoppa över en fråga du inte vill svara på.',
    submit: 'Skicka svaren',
    invalid: 'Något svar kunde inte tas emot. Kontrollera frågorna markerade nedan och skicka igen.',
    noAnswers: 'Svara på minst en fråga innan du skickar.',
    badAnswer: 'Välj ett av svarsalternativen.',
    thanksTitle: 'Tack för dina svar',
    thanks: 'Dina svar är sparade. Du kan stänga sidan.',
    unknownTitle: 'Länken fungerar inte',
    unknown:
      'Länken är ogiltig. Kontrollera att du har kopierat hela länken, eller kontakta den som skickade enkäten.',
    usedTitle: 'Enkäten är redan besvarad',
    used: 'Den här länken har redan använts för att besvara enkäten. Varje länk kan bara användas en gång.',
  },
  sheet: {
    name: 'Indikatorenkäter',
    group: 'Respondentgrupp',
    question: 'Fråga',
    year: 'År',
    negative: 'Negativt',
    neutral: 'Varken eller',
    positive: 'Positivt',
    clearlyPositive: '(Klart positivt)',
    answers: 'Antal svar',
    invited: 'Inbjudna',
    responses: 'Svar',
    responseRate: 'Svarsfrekvens',
    withheld: `Färre svar än tröskeln för röjandeskydd`,
  },
} as const;

export const INTERVENTION_KIND_LABELS: Record<import('./codes').InterventionKind, string> = {
  individual: 'Individinriktad',
  structural: 'Strukturinriktad',
};

/** Swedish column headings of an enrolment, as in the UI and accepted by the import beside the API names. */
export const ENROLMENT_FIELD_LABELS = {
  participantCode: 'Deltagarkod',
  intervention: 'Insats',
  startedOn: 'Startdatum',
  referringParty: 'Anvisande part',
  gender: 'Kön',
  age: 'Ålder',
  ageBand: 'Åldersgrupp',
  municipality: 'Kommun',
  educationLevel: 'Utbildning',
  incomeSupportAtStart: 'Försörjning vid start',
  exitedOn: 'Slutdatum',
  exitReason: 'Avslutsorsak',
  incomeSupportAtExit: 'Försörjning vid avslut',
} as const;

/** Försäkringskassan's national count ("Uppföljning Finsam"): participants in individual-oriented insatser. */
export const NATIONAL_COUNT_LABELS = {
  title: 'Uppföljning Finsam – deltagare i individinriktade insatser',
  sheet: 'Nationell uppföljning',
  association: 'Samordningsförbund',
  year: 'År',
  intervention: 'Insats',
  participants: 'Antal deltagare',
  newParticipants: 'Varav nya deltagare',
  total: 'Totalt',
  asOf: 'Beräknad',
} as const;

/** Disclosure control by the cell-key method (README "Disclosure control"), for export cover sheets and board pages. */
export const DISCLOSURE_LABELS = {
  applied: (k: number) =>
    `Tillämpat: antal 1–${k - 1} visas som "<${k}" och övriga antal är slumpvis justerade med några enheter, ` +
    'samma justering i alla rapporter, så att små antal inte kan räknas fram genom att jämföra rapporter; ' +
    'andelar beräknas ur de justerade antalen',
  boardNote: (k: number) =>
    `Antalen är skyddade: 1–${k - 1} visas som "<${k}", övriga är justerade med några enheter, så delarna summerar inte alltid exakt till totalen.`,
} as const;
