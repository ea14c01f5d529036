import {
  IMPORT_ERROR_SAMPLES,
  IMPORT_PROBLEM_SAMPLES,
  namedValues,
  SURVEY_FILE_PROBLEM_SAMPLES,
} from '../../../test/fixtures/problem-params';
import {
  IMPORT_ERROR_CODES,
  IMPORT_PROBLEM_CODES,
  problemText,
  SURVEY_FILE_PROBLEM_CODES,
  withoutCellValue,
  type ProblemCatalogue,
} from './import-problems';
import {
  IMPORT_ERROR_LABELS,
  IMPORT_PROBLEM_LABELS,
  REFERRING_PARTY_LABELS,
  SURVEY_FILE_PROBLEM_LABELS,
} from './labels.sv';

// Technical parameters only the API's English spells out (the Swedish names the accepted labels instead).
const ENGLISH_ONLY = ['vocabulary', 'detail', 'error'];

const lists: [string, readonly string[], ProblemCatalogue<object>, Record<string, object>][] = [
  ['import problems', IMPORT_PROBLEM_CODES, IMPORT_PROBLEM_LABELS, { ...IMPORT_PROBLEM_SAMPLES }],
  ['import errors', IMPORT_ERROR_CODES, IMPORT_ERROR_LABELS, { ...IMPORT_ERROR_SAMPLES }],
  [
    'survey file problems',
    SURVEY_FILE_PROBLEM_CODES,
    SURVEY_FILE_PROBLEM_LABELS,
    { ...SURVEY_FILE_PROBLEM_SAMPLES },
  ],
];

describe('import problem codes in Swedish', () => {
  describe.each(lists)('%s', (_, codes, catalogue, samples) => {
    it('has a Swedish text for every code, and none for a code not in the list', () => {
      expect(codes.length).toBeGreaterThan(0);
      expect(new Set(codes).size).toBe(codes.length);
      expect(Object.keys(catalogue).sort()).toEqual([...codes].sort());
    });

    it.each(codes.map((c) => [c]))('words %s with the values it names', (code) => {
      const params = samples[code];
      const text = problemText(catalogue, { code, params, message: 'the English message' });
      expect(text).not.toBe('the English message');
      expect(text.trim().length).toBeGreaterThan(5);
      expect(text).not.toMatch(/undefined|null|\[object/);
      for (const value of namedValues(params, ENGLISH_ONLY)) expect(text).toContain(value);
    });
  });

  it('lists the Swedish labels of the accepted values of an unknown value', () => {
    const text = IMPORT_PROBLEM_LABELS.unknown_value({ value: 'Grannen', vocabulary: 'referringParty' });
    for (const label of Object.values(REFERRING_PARTY_LABELS)) expect(text).toContain(label);
    expect(text).not.toContain('social_insurance');
  });

  it('has no parameter for a personal number, so its text cannot echo the cell', () => {
    expect(IMPORT_PROBLEM_SAMPLES.personal_number).toEqual({});
    expect(IMPORT_PROBLEM_LABELS.personal_number({})).not.toMatch(/\d/);
  });

  it('keeps the message of a problem stored without a code, or with a code this version does not know', () => {
    const stored = { row: 2, column: 'Kön', message: 'is required' };
    expect(problemText(IMPORT_PROBLEM_LABELS, stored)).toBe('is required');
    expect(problemText(IMPORT_PROBLEM_LABELS, { code: 'later_code', params: {}, message: 'new rule' })).toBe(
      'new rule',
    );
    expect(problemText(IMPORT_ERROR_LABELS, { code: null, params: null, message: 'the file is gone' })).toBe(
      'the file is gone',
    );
    // Names of Object.prototype are not codes.
    expect(problemText(IMPORT_PROBLEM_LABELS, { code: 'toString', message: 'kept' })).toBe('kept');
  });
});

describe('withoutCellValue', () => {
  it('drops the cell csv-parse quotes in a reason, and keeps the rest', () => {
    expect(
      withoutCellValue(
        'Invalid Opening Quote: a quote is found on field 0 at line 2, value is "19850412-1234 x"',
      ),
    ).toBe('Invalid Opening Quote: a quote is found on field 0 at line 2');
    expect(
      withoutCellValue('Quote Not Closed: the parsing is finished with an opening quote at line 3'),
    ).toBe('Quote Not Closed: the parsing is finished with an opening quote at line 3');
  });
});
