// Numbers, shares and times as Swedish readers expect them.
import { todayInStockholm } from '@app/domain';

const INTEGER = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 });

/** A count: a number, or the disclosure-control mark ("<3", "..") as given. */
export function formatCount(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? INTEGER.format(value) : DECIMAL.format(value);
}

/** A fraction 0–1 as percent, e.g. 0.4231 → "42,3 %". */
export function formatShare(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value;
  return `${DECIMAL.format(value * 100)} %`;
}

const TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  hour: '2-digit',
  minute: '2-digit',
});
const DATE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** "10:42" today, "2026-11-29 10:42" another day (Europe/Stockholm). */
export function formatTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const time = TIME.format(at);
  const day = DATE.format(at);
  return day === todayInStockholm(now) ? time : `${day} ${time}`;
}
