import { allows, POLICY } from './policy';

/**
 * The table as documented in README.md ("Access control"). Changing who may do what is a deliberate
 * act: change POLICY, the README table and this expectation together.
 */
describe('POLICY', () => {
  it('is the documented table', () => {
    expect(POLICY).toEqual({
      readOwnAccount: ['admin', 'coordinator', 'evaluator', 'board'],
      changeOwnPassword: ['admin', 'coordinator', 'evaluator', 'board'],
      manageUsers: ['admin'],
      manageAssociations: ['admin'],
      readAssociations: ['admin', 'coordinator', 'evaluator', 'board'],
      manageInterventions: ['admin'],
      readInterventions: ['admin', 'coordinator', 'evaluator', 'board'],
      readReferenceData: ['admin', 'coordinator', 'evaluator', 'board'],
      registerEnrolments: ['admin', 'coordinator'],
      readEnrolments: ['admin', 'coordinator', 'evaluator'],
      readReports: ['admin', 'evaluator', 'board'],
      readExactReports: ['admin', 'evaluator'],
      readMaskedReports: ['board'],
      exportReports: ['admin', 'evaluator'],
      readAggregationStatus: ['admin', 'evaluator'],
      rebuildAggregation: ['admin'],
      manageQuestionnaires: ['admin'],
      readQuestionnaires: ['admin', 'coordinator', 'evaluator', 'board'],
      readSurveyRounds: ['admin', 'coordinator', 'evaluator', 'board'],
      manageSurveyRounds: ['admin', 'evaluator'],
      importEnrolments: ['admin', 'coordinator', 'evaluator'],
      readNationalCount: ['admin', 'evaluator'],
      readDataQuality: ['admin', 'coordinator', 'evaluator'],
      readRetention: ['admin', 'evaluator'],
      useAdminPages: ['admin'],
    });
  });

  it('never gives a board member participant data or exact figures', () => {
    expect(allows('readEnrolments', 'board')).toBe(false);
    expect(allows('readExactReports', 'board')).toBe(false);
    expect(allows('exportReports', 'board')).toBe(false);
  });

  it('gives every role that reads reports exactly one audience', () => {
    for (const role of POLICY.readReports)
      expect(
        [allows('readExactReports', role), allows('readMaskedReports', role)].filter(Boolean),
      ).toHaveLength(1);
  });
});
