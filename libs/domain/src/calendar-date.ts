// Calendar dates ('YYYY-MM-DD') as domain.md requires: no times, no time zones in the arithmetic.
// All arithmetic goes through "epoch days" in UTC so the host's local time zone can never shift a date.

/** A calendar date 'YYYY-MM-DD' (Europe/Stockholm calendar). A plain string so it maps 1:1 to SQL `date`. */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Strict check: exact 'YYYY-MM-DD' shape and a date that exists (no rollover of 2023-02-29 to March). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function assertCalendarDate(date: string): void {
  if (!isCalendarDate(date))
    throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

// The aggregation turns the same few thousand dates into days again and again (every exit, every period):
// a lookup is far cheaper than the check and the Date arithmetic. Only valid dates are kept; bounded.
const EPOCH_DAYS = new Map<string, number>();
const EPOCH_DAYS_MAX = 50_000;

/** Days since 1970-01-01 (negative before). */
export function toEpochDay(date: string): number {
  const known = EPOCH_DAYS.get(date);
  if (known !== undefined) return known;
  assertCalendarDate(date);
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  d.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const day = Math.round(d.getTime() / MS_PER_DAY);
  if (EPOCH_DAYS.size >= EPOCH_DAYS_MAX) EPOCH_DAYS.clear();
  EPOCH_DAYS.set(date, day);
  return day;
}

export function fromEpochDay(day: number): string {
  if (!Number.isInteger(day)) throw new RangeError(`Epoch day must be an integer: ${day}`);
  const d = new Date(day * MS_PER_DAY);
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) throw new RangeError(`Epoch day out of range: ${day}`);
  return `${String(year).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Signed number of days from `from` to `to` (0 for the same date). */
export function daysBetween(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`Days must be an integer: ${days}`);
  return fromEpochDay(toEpochDay(date) + days);
}

// Built once: constructing Intl formatters is comparatively expensive.
const STOCKHOLM_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's calendar date in Europe/Stockholm, whatever the server's time zone. */
export function todayInStockholm(now: Date = new Date()): string {
  // formatToParts rather than format(): the joined output of 'en-CA' has varied between ICU versions.
  const parts = STOCKHOLM_DATE.formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function yearOf(date: string): number {
  assertCalendarDate(date);
  return Number(date.slice(0, 4));
}

/** -1 / 0 / 1; ISO dates of equal length sort correctly as strings. */
export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
