// Report periods of domain.md. A period is an inclusive range of calendar dates [start, end].
import { compareDates, isCalendarDate, yearOf } from './calendar-date';

export type PeriodKind = 'year' | 'half' | 'quarter' | 'ytd' | 'since_start';

export interface Period {
  /** Canonical code, e.g. '2024', '2024-H1', '2024-Q3', '2024-YTD-Q2', 'since-start'. */
  code: string;
  kind: PeriodKind;
  /** First day, inclusive ('YYYY-MM-DD'). */
  start: string;
  /** Last day, inclusive ('YYYY-MM-DD'). */
  end: string;
  /** Calendar year of the period; null only for since_start. */
  year: number | null;
}

export const SINCE_START_CODE = 'since-start';
const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

const ACCEPTED_FORMS =
  'accepted forms are YYYY, YYYY-H1, YYYY-H2, YYYY-Q1..YYYY-Q4, YYYY-YTD-Q1..YYYY-YTD-Q4 (upper case, ' +
  `year ${MIN_YEAR}-${MAX_YEAR}) and '${SINCE_START_CODE}'`;

export class PeriodCodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeriodCodeError';
  }
}

// Last day of each quarter; quarters start on the day after the previous quarter's end.
const QUARTER_START = ['01-01', '04-01', '07-01', '10-01'];
const QUARTER_END = ['03-31', '06-30', '09-30', '12-31'];

function yearPeriod(year: number): Period {
  return { code: `${year}`, kind: 'year', start: `${year}-01-01`, end: `${year}-12-31`, year };
}

function halfPeriod(year: number, half: 1 | 2): Period {
  return {
    code: `${year}-H${half}`,
    kind: 'half',
    start: `${year}-${half === 1 ? '01-01' : '07-01'}`,
    end: `${year}-${half === 1 ? '06-30' : '12-31'}`,
    year,
  };
}

function quarterPeriod(year: number, quarter: number): Period {
  return {
    code: `${year}-Q${quarter}`,
    kind: 'quarter',
    start: `${year}-${QUARTER_START[quarter - 1]}`,
    end: `${year}-${QUARTER_END[quarter - 1]}`,
    year,
  };
}

function ytdPeriod(year: number, quarter: number): Period {
  // Year-to-date through Q4 is the whole year; one canonical code keeps caches and comparisons simple.
  if (quarter === 4) return yearPeriod(year);
  return {
    code: `${year}-YTD-Q${quarter}`,
    kind: 'ytd',
    start: `${year}-01-01`,
    end: `${year}-${QUARTER_END[quarter - 1]}`,
    year,
  };
}

const PERIOD_CODE = /^(\d{4})(?:-(H[12]|Q[1-4]|YTD-Q[1-4]))?$/;

/**
 * Parse a period code. `since-start` needs the scope's start date and today's date, both 'YYYY-MM-DD';
 * a start after today yields an empty period (start > end), which counts nothing.
 */
export function parsePeriod(code: string, opts?: { sinceStart?: string; today?: string }): Period {
  if (code === SINCE_START_CODE) {
    const { sinceStart, today } = opts ?? {};
    if (!isCalendarDate(sinceStart) || !isCalendarDate(today)) {
      throw new PeriodCodeError(
        `Period '${SINCE_START_CODE}' needs a start date and today's date (YYYY-MM-DD)`,
      );
    }
    return { code: SINCE_START_CODE, kind: 'since_start', start: sinceStart, end: today, year: null };
  }
  const m = PERIOD_CODE.exec(code);
  if (!m) throw new PeriodCodeError(`Unknown period code ${JSON.stringify(code)}; ${ACCEPTED_FORMS}`);
  const year = Number(m[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new PeriodCodeError(`Period year ${year} out of range; ${ACCEPTED_FORMS}`);
  }
  const part = m[2];
  if (part === undefined) return yearPeriod(year);
  const n = Number(part.slice(-1));
  if (part.startsWith('H')) return halfPeriod(year, n === 1 ? 1 : 2);
  if (part.startsWith('Q')) return quarterPeriod(year, n);
  return ytdPeriod(year, n);
}

/** Every period of a year, in the order reports list them: Q1..Q4, H1, H2, YTD-Q1..YTD-Q3, year. */
export function periodsOfYear(year: number): Period[] {
  return [
    quarterPeriod(year, 1),
    quarterPeriod(year, 2),
    quarterPeriod(year, 3),
    quarterPeriod(year, 4),
    halfPeriod(year, 1),
    halfPeriod(year, 2),
    ytdPeriod(year, 1),
    ytdPeriod(year, 2),
    ytdPeriod(year, 3),
    yearPeriod(year),
  ];
}

/**
 * The periods of a year that end on or after `from` (null: all of them): those a change from that date can
 * alter, since nothing an enrolment counts in lies before the date its change begins.
 */
export function periodsOfYearFrom(year: number, from: string | null): Period[] {
  return periodsOfYear(year).filter((p) => from === null || p.end >= from);
}

/** The same period one year earlier (report layout 8: comparison with the year before). */
export function previousYearPeriod(p: Period): Period {
  if (p.kind === 'since_start' || p.year === null) {
    throw new PeriodCodeError(`Period '${SINCE_START_CODE}' has no previous-year counterpart`);
  }
  const year = p.year - 1;
  // Rebuilt from kind and end date rather than re-parsed, so the year range check does not apply here.
  const quarter = Number(p.end.slice(5, 7)) / 3;
  switch (p.kind) {
    case 'year':
      return yearPeriod(year);
    case 'half':
      return halfPeriod(year, quarter === 2 ? 1 : 2);
    case 'quarter':
      return quarterPeriod(year, quarter);
    case 'ytd':
      return ytdPeriod(year, quarter);
  }
}

/**
 * Every calendar year an enrolment spans, ascending. An enrolment is "active" in each of these years, so
 * a write to it changes every one of those years' results. An open enrolment runs until today (or its
 * start, if that lies in the future).
 */
export function yearsTouched(startedOn: string, exitedOn: string | null, today: string): number[] {
  const end = exitedOn ?? (compareDates(today, startedOn) > 0 ? today : startedOn);
  // Tolerate an exit before the start (bad data being corrected): still cover every year involved.
  const a = yearOf(startedOn);
  const b = yearOf(end);
  const years: number[] = [];
  for (let y = Math.min(a, b); y <= Math.max(a, b); y++) years.push(y);
  return years;
}
