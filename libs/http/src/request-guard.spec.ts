import { jsonNestingExceeds, repeatedQueryParameter, requestValueProblem } from './request-guard';

describe('request guard', () => {
  it('counts JSON nesting without parsing, ignoring brackets inside strings', () => {
    expect(jsonNestingExceeds('{"a":'.repeat(6000) + '1' + '}'.repeat(6000))).toBe(true);
    expect(jsonNestingExceeds('['.repeat(33) + ']'.repeat(33))).toBe(true);
    expect(jsonNestingExceeds('['.repeat(32) + ']'.repeat(32))).toBe(false);
    expect(
      jsonNestingExceeds(JSON.stringify({ text: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"{{{{' })),
    ).toBe(false);
  });

  it('names the first value with a control character or a lone surrogate, keys included', () => {
    expect(requestValueProblem({ a: { b: ['ok', 'x\u0000'] } }, '')).toEqual({
      field: 'a.b.1',
      message: expect.stringContaining('control characters'),
    });
    expect(requestValueProblem({ name: 'F\ud800' }, '')?.field).toBe('name');
    expect(requestValueProblem({ ['k\u0007']: 1 }, '')?.message).toContain('field name');
    expect(requestValueProblem('A\u0000', 'participantCode')?.field).toBe('participantCode');
    expect(requestValueProblem({ text: 'rad ett\nrad två\tflik', emoji: '😀' }, '')).toBeNull();
  });

  it('refuses nesting deeper than the limit iteratively (no stack overflow)', () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = { a: value };
    expect(requestValueProblem(value, '')?.message).toContain('nested deeper');
  });

  it('finds a repeated or bracketed query parameter', () => {
    expect(repeatedQueryParameter({ period: ['2024', '2025'] })).toBe('period');
    expect(repeatedQueryParameter({ 'interventions[]': 'x', period: '2024' })).toBeNull();
    expect(repeatedQueryParameter({ period: '2024' })).toBeNull();
  });
});
