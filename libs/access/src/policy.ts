import type { Role } from '@app/domain';

/**
 * Who may call what: the one table of permissions. Every route names one of these with `@Can(...)`
 * (or is `@Public()`), the global guard checks the caller's role against it, and the scoped queries
 * then decide which rows. Services never compare roles themselves; where an answer depends on the
 * role (exact or masked report figures) they ask `allows()` with a permission from this table.
 */
export const POLICY = {
  /** Their own account (`GET /auth/me`). */
  readOwnAccount: ['admin', 'coordinator', 'evaluator', 'board'],
  /** Change their own password (ends their other tokens). */
  changeOwnPassword: ['admin', 'coordinator', 'evaluator', 'board'],
  /** Create, list and change users, their roles and grants. */
  manageUsers: ['admin'],
  /** Create associations and their member organisations. */
  manageAssociations: ['admin'],
  /** Associations (and their members) in the caller's scope. */
  readAssociations: ['admin', 'coordinator', 'evaluator', 'board'],
  /** Create interventions and set their yearly goals. */
  manageInterventions: ['admin'],
  /** Interventions and goals in the caller's scope. */
  readInterventions: ['admin', 'coordinator', 'evaluator', 'board'],
  /** Municipality codes and names. */
  readReferenceData: ['admin', 'coordinator', 'evaluator', 'board'],
  /** Register, correct, exit and withdraw enrolments (participant-level writes). */
  registerEnrolments: ['admin', 'coordinator'],
  /** Participant-level reads. */
  readEnrolments: ['admin', 'coordinator', 'evaluator'],
  /** Report routes; what the caller gets depends on readExactReports / readMaskedReports. */
  readReports: ['admin', 'evaluator', 'board'],
  /** Exact figures in reports (evaluators work inside the association). */
  readExactReports: ['admin', 'evaluator'],
  /** Disclosure-controlled figures only (board members, and anyone asking for publication). */
  readMaskedReports: ['board'],
  /** File exports of reports (direct and stored). */
  exportReports: ['admin', 'evaluator'],
  /** How far the aggregation has got, within the caller's scope. */
  readAggregationStatus: ['admin', 'evaluator'],
  /** Queue a full rebuild of every stored result. */
  rebuildAggregation: ['admin'],
  /** Load a survey questionnaire into the catalogue. */
  manageQuestionnaires: ['admin'],
  /** The questionnaire catalogue. */
  readQuestionnaires: ['admin', 'coordinator', 'evaluator', 'board'],
  /** Survey rounds in the caller's scope, with invited and responses. */
  readSurveyRounds: ['admin', 'coordinator', 'evaluator', 'board'],
  /** Create survey rounds, enter and import answers, make one-time answer links. */
  manageSurveyRounds: ['admin', 'evaluator'],
  /** Upload, validate and commit enrolment files (a coordinator's rows limited to their insatser). */
  importEnrolments: ['admin', 'coordinator', 'evaluator'],
  /** Försäkringskassan's national count (exact figures, as JSON or a file). */
  readNationalCount: ['admin', 'evaluator'],
  /** Data-quality checks (a coordinator's limited to their insatser). */
  readDataQuality: ['admin', 'coordinator', 'evaluator'],
  /** An association's retention period (setting it is manageAssociations). */
  readRetention: ['admin', 'evaluator'],
  /** The admin web pages: associations, insatser and goals, users, audit log, queue dashboard. */
  useAdminPages: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof POLICY;

export const PERMISSIONS = Object.keys(POLICY) as Permission[];

export function allows(permission: Permission, role: Role): boolean {
  return (POLICY[permission] as readonly Role[]).includes(role);
}

export function rolesWith(permission: Permission): readonly Role[] {
  return POLICY[permission];
}
