import fc from 'fast-check';
import {
  addDays,
  compareDates,
  daysBetween,
  fromEpochDay,
  isCalendarDate,
  toEpochDay,
  todayInStockholm,
  yearOf,
} from './calendar-date';

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2024-01-01', '2024-12-31', '2000-02-29', '1970-01-01', '0001-01-01'])(
    'accepts %p',
    (value) => {
      expect(isCalendarDate(value)).toBe(true);
    },
  );

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-01-32',
    '0000-01-01',
    '2024-1-01',
    '24-01-01',
    '2024/01/01',
    '2024-01-01T00:00:00Z',
    ' 2024-01-01',
    '',
    20240101,
    null,
    undefined,
    new Date('2024-01-01'),
  ])('rejects %p', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});

describe('epoch days', () => {
  it('counts from 1970-01-01', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('1970-01-02')).toBe(1);
    expect(toEpochDay('1969-12-31')).toBe(-1);
    expect(toEpochDay('2000-01-01')).toBe(10957);
    expect(fromEpochDay(0)).toBe('1970-01-01');
    expect(fromEpochDay(19783)).toBe('2024-03-01');
  });

  it('handles years below 100 without the Date.UTC 1900 mapping', () => {
    expect(fromEpochDay(toEpochDay('0050-06-15'))).toBe('0050-06-15');
  });

  it('rejects invalid input', () => {
    expect(() => toEpochDay('2023-02-29')).toThrow(RangeError);
    expect(() => fromEpochDay(1.5)).toThrow(RangeError);
  });

  it('round-trips (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -700_000, max: 2_900_000 }),
        (day) => toEpochDay(fromEpochDay(day)) === day,
      ),
    );
  });
});

describe('daysBetween / addDays', () => {
  it('crosses month, leap-day and DST boundaries as whole days', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
    expect(daysBetween('2024-03-30', '2024-04-01')).toBe(2); // CET -> CEST on 31 March
    expect(daysBetween('2024-10-26', '2024-10-28')).toBe(2); // CEST -> CET on 27 October
    expect(daysBetween('2024-01-01', '2024-01-01')).toBe(0);
    expect(daysBetween('2024-12-31', '2024-01-01')).toBe(-365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('adds and subtracts days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(addDays('2024-03-31', 0)).toBe('2024-03-31');
    expect(() => addDays('2024-01-01', 0.5)).toThrow(RangeError);
  });

  it('addDays and daysBetween agree (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: -5_000, max: 5_000 }), (d, n) => {
        const date = fromEpochDay(d);
        return daysBetween(date, addDays(date, n)) === n;
      }),
    );
  });
});

describe('todayInStockholm', () => {
  it('uses the Stockholm calendar, not UTC', () => {
    expect(todayInStockholm(new Date('2024-03-31T22:30:00Z'))).toBe('2024-04-01'); // CEST, UTC+2
    expect(todayInStockholm(new Date('2024-03-31T21:59:00Z'))).toBe('2024-03-31');
    expect(todayInStockholm(new Date('2024-01-01T22:59:00Z'))).toBe('2024-01-01'); // CET, UTC+1
    expect(todayInStockholm(new Date('2024-01-01T23:00:00Z'))).toBe('2024-01-02');
    expect(todayInStockholm(new Date('2023-12-31T23:30:00Z'))).toBe('2024-01-01');
  });

  it('defaults to now and returns a calendar date', () => {
    expect(isCalendarDate(todayInStockholm())).toBe(true);
  });
});

describe('yearOf / compareDates', () => {
  it('reads the year', () => {
    expect(yearOf('2024-12-31')).toBe(2024);
    expect(() => yearOf('2024')).toThrow(RangeError);
  });

  it('orders ISO dates', () => {
    expect(compareDates('2024-01-01', '2024-01-02')).toBe(-1);
    expect(compareDates('2024-01-02', '2024-01-01')).toBe(1);
    expect(compareDates('2024-01-01', '2024-01-01')).toBe(0);
    expect(compareDates('2023-12-31', '2024-01-01')).toBe(-1);
    expect(['2024-03-01', '2023-12-31', '2024-01-15'].sort(compareDates)).toEqual([
      '2023-12-31',
      '2024-01-15',
      '2024-03-01',
    ]);
  });
});
