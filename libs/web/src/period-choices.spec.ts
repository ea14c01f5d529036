import {
  currentQuarter,
  defaultPeriod,
  lastEightQuarters,
  periodLabel,
  periodOptions,
} from './period-choices';

describe('period choices', () => {
  it('knows the current quarter and opens on the year to date', () => {
    expect(currentQuarter('2026-11-30')).toEqual({ year: 2026, quarter: 4, code: '2026-Q4' });
    expect(defaultPeriod('2026-11-30')).toBe('2026');
    expect(defaultPeriod('2026-05-02')).toBe('2026-YTD-Q2');
  });

  it('lists the eight quarters up to now, across year ends', () => {
    expect(lastEightQuarters('2026-02-10')).toEqual([
      '2024-Q2',
      '2024-Q3',
      '2024-Q4',
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
      '2025-Q4',
      '2026-Q1',
    ]);
  });

  it('names every kind of period in Swedish', () => {
    expect(periodLabel('2025')).toBe('Helår 2025');
    expect(periodLabel('2025-H1')).toBe('Första halvåret 2025');
    expect(periodLabel('2025-Q3')).toBe('Kvartal 3 2025');
    expect(periodLabel('2025-YTD-Q2')).toBe('Januari–juni 2025');
    expect(periodLabel('since-start')).toBe('Sedan start');
  });

  it('offers ten periods a year, newest year first, and since start', () => {
    const options = periodOptions([2024, 2025]);
    expect(options).toHaveLength(21);
    expect(options[0]).toEqual({ value: '2025', label: 'Helår 2025' });
    expect(options.at(-1)).toEqual({ value: 'since-start', label: 'Sedan start' });
  });
});
