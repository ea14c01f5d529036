import { todayInStockholm } from '@app/domain';
import { periodEndOf } from './report-period';

describe('periodEndOf', () => {
  it('gives the last day of a period code whatever the scope', () => {
    expect(periodEndOf('2024')).toBe('2024-12-31');
    expect(periodEndOf('2024-H1')).toBe('2024-06-30');
    expect(periodEndOf('2024-Q3')).toBe('2024-09-30');
    expect(periodEndOf('2024-YTD-Q1')).toBe('2024-03-31');
    expect(periodEndOf('since-start')).toBe(todayInStockholm());
  });

  it('gives null for what is not a period code, leaving the error to the report', () => {
    for (const code of [undefined, '', '2024-Q5', 'last year', 2024]) expect(periodEndOf(code)).toBeNull();
  });
});
