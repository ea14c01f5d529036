import { daysBetween } from './calendar-date';
import {
  parsePeriod,
  PeriodCodeError,
  periodsOfYear,
  periodsOfYearFrom,
  previousYearPeriod,
  yearsTouched,
} from './periods';

describe('parsePeriod', () => {
  it.each([
    ['2024', 'year', '2024-01-01', '2024-12-31'],
    ['2024-H1', 'half', '2024-01-01', '2024-06-30'],
    ['2024-H2', 'half', '2024-07-01', '2024-12-31'],
    ['2024-Q1', 'quarter', '2024-01-01', '2024-03-31'],
    ['2024-Q2', 'quarter', '2024-04-01', '2024-06-30'],
    ['2024-Q3', 'quarter', '2024-07-01', '2024-09-30'],
    ['2024-Q4', 'quarter', '2024-10-01', '2024-12-31'],
    ['2023-Q1', 'quarter', '2023-01-01', '2023-03-31'],
    ['2024-YTD-Q1', 'ytd', '2024-01-01', '2024-03-31'],
    ['2024-YTD-Q2', 'ytd', '2024-01-01', '2024-06-30'],
    ['2024-YTD-Q3', 'ytd', '2024-01-01', '2024-09-30'],
    ['1990', 'year', '1990-01-01', '1990-12-31'],
    ['2100-Q4', 'quarter', '2100-10-01', '2100-12-31'],
  ])('%p is %p from %p to %p', (code, kind, start, end) => {
    const p = parsePeriod(code);
    expect(p).toEqual({ code, kind, start, end, year: Number(code.slice(0, 4)) });
  });

  it('normalises YTD-Q4 to the whole year', () => {
    expect(parsePeriod('2024-YTD-Q4')).toEqual(parsePeriod('2024'));
    expect(parsePeriod('2024-YTD-Q4').code).toBe('2024');
  });

  it('has the right lengths in leap and common years', () => {
    const len = (code: string): number => {
      const p = parsePeriod(code);
      return daysBetween(p.start, p.end) + 1;
    };
    expect(len('2024')).toBe(366);
    expect(len('2023')).toBe(365);
    expect(len('2024-Q1')).toBe(91);
    expect(len('2023-Q1')).toBe(90);
    expect(len('2024-H1')).toBe(182);
    expect(len('2023-H1')).toBe(181);
    expect(len('2024-H2')).toBe(184);
    expect(len('2100-Q1')).toBe(90); // 2100 is not a leap year
  });

  it('builds since-start from the scope start and today', () => {
    expect(parsePeriod('since-start', { sinceStart: '2019-09-01', today: '2024-05-14' })).toEqual({
      code: 'since-start',
      kind: 'since_start',
      start: '2019-09-01',
      end: '2024-05-14',
      year: null,
    });
  });

  it.each([
    [{}],
    [undefined],
    [{ sinceStart: '2019-09-01' }],
    [{ today: '2024-05-14' }],
    [{ sinceStart: '2019-02-30', today: '2024-05-14' }],
    [{ sinceStart: '2019-09-01', today: '14/5/2024' }],
  ])('rejects since-start without valid dates %p', (opts) => {
    expect(() => parsePeriod('since-start', opts)).toThrow(PeriodCodeError);
  });

  it.each([
    '2024-Q5',
    '2024-Q0',
    '2024-H3',
    '2024-H0',
    '2024-YTD-Q5',
    '2024-YTD',
    '2024-YTD-H1',
    '24',
    '20244',
    '2024-q1',
    '2024-h1',
    '2024-ytd-q1',
    'since_start',
    'SINCE-START',
    ' 2024',
    '2024 ',
    '2024-',
    '2024Q1',
    '1989',
    '2101',
    '',
    'all',
  ])('rejects %p', (code) => {
    expect(() => parsePeriod(code)).toThrow(PeriodCodeError);
  });

  it('throws an Error subclass with a message naming the accepted forms', () => {
    let caught: unknown;
    try {
      parsePeriod('2024-Q5');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(PeriodCodeError);
    expect(caught).toBeInstanceOf(Error);
    const message = (caught as Error).message;
    expect(message).toContain('2024-Q5');
    expect(message).toContain('YYYY-Q1');
    expect(message).toContain('since-start');
    expect((caught as Error).name).toBe('PeriodCodeError');
  });
});

describe('periodsOfYear', () => {
  it('lists exactly the ten periods of a year in report order', () => {
    expect(periodsOfYear(2024).map((p) => p.code)).toEqual([
      '2024-Q1',
      '2024-Q2',
      '2024-Q3',
      '2024-Q4',
      '2024-H1',
      '2024-H2',
      '2024-YTD-Q1',
      '2024-YTD-Q2',
      '2024-YTD-Q3',
      '2024',
    ]);
  });

  it('agrees with parsePeriod', () => {
    for (const p of periodsOfYear(2023)) expect(parsePeriod(p.code)).toEqual(p);
  });
});

describe('periodsOfYearFrom', () => {
  it('keeps the periods that end on or after the date, all of them for null', () => {
    expect(periodsOfYearFrom(2024, '2024-11-30').map((p) => p.code)).toEqual(['2024-Q4', '2024-H2', '2024']);
    expect(periodsOfYearFrom(2024, '2024-06-30').map((p) => p.code)).toEqual([
      '2024-Q2',
      '2024-Q3',
      '2024-Q4',
      '2024-H1',
      '2024-H2',
      '2024-YTD-Q2',
      '2024-YTD-Q3',
      '2024',
    ]);
    expect(periodsOfYearFrom(2024, null)).toEqual(periodsOfYear(2024));
    expect(periodsOfYearFrom(2024, '2025-01-01')).toEqual([]);
  });
});

describe('previousYearPeriod', () => {
  it.each([
    ['2024-H2', '2023-H2'],
    ['2024-H1', '2023-H1'],
    ['2024-Q1', '2023-Q1'],
    ['2024-Q4', '2023-Q4'],
    ['2024-YTD-Q3', '2023-YTD-Q3'],
    ['2024-YTD-Q1', '2023-YTD-Q1'],
    ['2024', '2023'],
    ['2025-Q1', '2024-Q1'],
  ])('%p -> %p', (code, previous) => {
    expect(previousYearPeriod(parsePeriod(code))).toEqual(parsePeriod(previous));
  });

  it('works for every period of a year', () => {
    const prev = periodsOfYear(2021).map((p) => previousYearPeriod(p));
    expect(prev).toEqual(periodsOfYear(2020));
  });

  it('is not bound by the parse range (1990 -> 1989)', () => {
    expect(previousYearPeriod(parsePeriod('1990-Q2')).start).toBe('1989-04-01');
  });

  it('throws for since-start', () => {
    const p = parsePeriod('since-start', { sinceStart: '2019-09-01', today: '2024-05-14' });
    expect(() => previousYearPeriod(p)).toThrow(PeriodCodeError);
  });
});

describe('yearsTouched', () => {
  it('spans start to exit inclusive', () => {
    expect(yearsTouched('2019-12-31', '2022-01-01', '2024-05-01')).toEqual([2019, 2020, 2021, 2022]);
    expect(yearsTouched('2024-02-01', '2024-11-30', '2025-05-01')).toEqual([2024]);
  });

  it('uses today for an open enrolment', () => {
    expect(yearsTouched('2022-06-01', null, '2024-05-01')).toEqual([2022, 2023, 2024]);
    expect(yearsTouched('2024-06-01', null, '2024-06-01')).toEqual([2024]);
  });

  it('uses the start when an open enrolment starts after today', () => {
    expect(yearsTouched('2025-01-10', null, '2024-12-20')).toEqual([2025]);
  });

  it('still covers every year involved when the exit precedes the start', () => {
    expect(yearsTouched('2024-01-10', '2023-12-20', '2024-05-01')).toEqual([2023, 2024]);
  });

  it('rejects invalid dates', () => {
    expect(() => yearsTouched('2024-02-30', null, '2024-05-01')).toThrow(RangeError);
  });
});
