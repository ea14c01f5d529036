import {
  IMPORT_ERROR_CODES,
  IMPORT_ERROR_LABELS,
  IMPORT_PROBLEM_CODES,
  IMPORT_PROBLEM_LABELS,
  problemText,
  type ImportErrorDetail,
  type ImportProblemDetail,
} from '@app/domain';
import {
  IMPORT_ERROR_SAMPLES,
  IMPORT_PROBLEM_SAMPLES,
  namedValues,
} from '../../../test/fixtures/problem-params';
import {
  importFailure,
  importProblem,
  IMPORT_ERROR_MESSAGES,
  IMPORT_PROBLEM_MESSAGES,
} from './import-problems';

describe('import problems in the API', () => {
  it('has an English message for every problem and error code, and no other', () => {
    expect(Object.keys(IMPORT_PROBLEM_MESSAGES).sort()).toEqual([...IMPORT_PROBLEM_CODES].sort());
    expect(Object.keys(IMPORT_ERROR_MESSAGES).sort()).toEqual([...IMPORT_ERROR_CODES].sort());
  });

  it.each(IMPORT_PROBLEM_CODES.map((c) => [c]))(
    'stores %s with its code, parameters and an English message (the web words it in Swedish)',
    (code) => {
      const detail = { code, params: IMPORT_PROBLEM_SAMPLES[code] } as ImportProblemDetail;
      const p = importProblem(3, 'Kön', detail);
      expect(p).toEqual({ row: 3, column: 'Kön', code, params: detail.params, message: expect.any(String) });
      for (const value of namedValues(detail.params, ['vocabulary'])) expect(p.message).toContain(value);
      expect(problemText(IMPORT_PROBLEM_LABELS, p)).not.toBe(p.message);
    },
  );

  it.each(IMPORT_ERROR_CODES.map((c) => [c]))('fails an import for %s with its code and message', (code) => {
    const detail = { code, params: IMPORT_ERROR_SAMPLES[code] } as ImportErrorDetail;
    const f = importFailure(detail);
    expect(f).toEqual({ code, params: detail.params, message: expect.any(String) });
    for (const value of namedValues(detail.params)) expect(f.message).toContain(value);
    expect(problemText(IMPORT_ERROR_LABELS, f)).not.toBe(f.message);
  });

  it('names the accepted codes with their labels in an unknown value', () => {
    const p = importProblem(2, 'Kön', {
      code: 'unknown_value',
      params: { value: 'x', vocabulary: 'gender' },
    });
    expect(p.message).toBe('"x" is not one of: woman (Kvinna), man (Man), unspecified (Ej angett)');
  });
});
