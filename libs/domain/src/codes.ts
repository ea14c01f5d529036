// The code lists of domain.md. API codes are English; Swedish labels live in labels.sv.ts.
// Each list is a readonly tuple so the union type and the runtime list come from one place.

export const GENDERS = ['woman', 'man', 'unspecified'] as const;
export type Gender = (typeof GENDERS)[number];

export const REFERRING_PARTIES = [
  'employment_service',
  'social_insurance',
  'social_services',
  'municipal_activity_responsibility',
  'school',
  'healthcare',
  'lss_daily_activity',
  'other_intervention',
  'self_referral',
  'other',
] as const;
export type ReferringParty = (typeof REFERRING_PARTIES)[number];

export const AGE_BANDS = [
  '16-18',
  '19-20',
  '21-24',
  '25-29',
  '30-39',
  '40-49',
  '50-59',
  '60-66',
  'unspecified',
] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const EDUCATION_LEVELS = [
  'none_completed',
  'compulsory',
  'upper_secondary',
  'post_secondary',
  'unspecified',
] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];

export const INCOME_SUPPORTS = [
  'social_assistance',
  'activity_compensation',
  'sickness_compensation',
  'sickness_benefit',
  'unemployment_benefit',
  'activity_support',
  'salary',
  'student_aid',
  'none',
  'unspecified',
] as const;
export type IncomeSupport = (typeof INCOME_SUPPORTS)[number];

export const EXIT_CATEGORIES = ['work_or_studies', 'ordinary_intervention', 'other'] as const;
export type ExitCategory = (typeof EXIT_CATEGORIES)[number];

/** Exit reasons in report column order, each with its category (domain.md). */
export const EXIT_REASON_CATEGORY = {
  work: 'work_or_studies',
  studies: 'work_or_studies',
  employment_service_programme: 'ordinary_intervention',
  municipal_programme: 'ordinary_intervention',
  daily_activity: 'other',
  other_intervention: 'other',
  continued_rehabilitation: 'other',
  sickness: 'other',
  moved: 'other',
  parental_leave: 'other',
  withdrew: 'other',
  other: 'other',
} as const satisfies Record<string, ExitCategory>;
export type ExitReason = keyof typeof EXIT_REASON_CATEGORY;
export const EXIT_REASONS = Object.keys(EXIT_REASON_CATEGORY) as ExitReason[];

/** The annual-report column "Övrigt" sums these reasons. */
export const EXIT_REASONS_IN_OVRIGT: readonly ExitReason[] = ['moved', 'parental_leave', 'withdrew', 'other'];

export function exitCategoryOf(reason: ExitReason): ExitCategory {
  return EXIT_REASON_CATEGORY[reason];
}

export const ROLES = ['admin', 'coordinator', 'evaluator', 'board'] as const;
export type Role = (typeof ROLES)[number];

export const MEMBER_ORGANISATION_KINDS = [
  'employment_service',
  'social_insurance',
  'region',
  'municipality',
] as const;
export type MemberOrganisationKind = (typeof MEMBER_ORGANISATION_KINDS)[number];

export const GOAL_METRICS = [
  'participants',
  'new_participants',
  'share_work_or_studies',
  'share_ordinary_intervention',
] as const;
export type GoalMetric = (typeof GOAL_METRICS)[number];

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

/** Individual-oriented insatser have participants and count nationally; structural ones have neither. */
export const INTERVENTION_KINDS = ['individual', 'structural'] as const;
export type InterventionKind = (typeof INTERVENTION_KINDS)[number];
