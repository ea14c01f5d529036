// Period codes offered by the pages, with their Swedish names.
import { SINCE_START_CODE, todayInStockholm, WEB_LABELS as W } from '@app/domain';

export function currentQuarter(today = todayInStockholm()): { year: number; quarter: number; code: string } {
  const year = Number(today.slice(0, 4));
  const quarter = Math.ceil(Number(today.slice(5, 7)) / 3);
  return { year, quarter, code: `${year}-Q${quarter}` };
}

/** The period a report or dashboard opens with: this year up to and including the current quarter. */
export function defaultPeriod(today = todayInStockholm()): string {
  const { year, quarter } = currentQuarter(today);
  return quarter === 4 ? String(year) : `${year}-YTD-Q${quarter}`;
}

/** The eight quarters up to and including the current one, oldest first. */
export function lastEightQuarters(today = todayInStockholm()): string[] {
  const { year, quarter } = currentQuarter(today);
  const codes: string[] = [];
  for (let i = 7; i >= 0; i--) {
    const index = year * 4 + (quarter - 1) - i;
    codes.push(`${Math.floor(index / 4)}-Q${(index % 4) + 1}`);
  }
  return codes;
}

export function periodLabel(code: string): string {
  const P = W.reports.periods;
  if (code === SINCE_START_CODE) return P.sinceStart;
  const m = /^(\d{4})(?:-(H|Q|YTD-Q)([1-4]))?$/.exec(code);
  if (!m) return code;
  const year = Number(m[1]);
  if (!m[2]) return P.year(year);
  const n = Number(m[3]);
  if (m[2] === 'H') return P.half(year, n);
  if (m[2] === 'Q') return P.quarter(year, n);
  return P.ytd(year, n);
}

/** Every period of the given years (newest first) and "since start", as select options. */
export function periodOptions(years: number[]): { value: string; label: string }[] {
  const options: { value: string; label: string }[] = [];
  for (const year of [...years].sort((a, b) => b - a)) {
    const codes = [
      `${year}`,
      `${year}-YTD-Q3`,
      `${year}-YTD-Q2`,
      `${year}-YTD-Q1`,
      `${year}-H2`,
      `${year}-H1`,
      `${year}-Q4`,
      `${year}-Q3`,
      `${year}-Q2`,
      `${year}-Q1`,
    ];
    for (const code of codes) options.push({ value: code, label: periodLabel(code) });
  }
  options.push({ value: SINCE_START_CODE, label: periodLabel(SINCE_START_CODE) });
  return options;
}

/** Years from the scope's start to this year. */
export function yearsSince(start: string | undefined, today = todayInStockholm()): number[] {
  const now = Number(today.slice(0, 4));
  const first = start ? Math.max(Number(start.slice(0, 4)), now - 15) : now;
  const years: number[] = [];
  for (let y = first; y <= now; y++) years.push(y);
  return years;
}
