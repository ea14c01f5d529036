import { parsePeriod, PeriodCodeError, todayInStockholm, type Period } from '@app/domain';
import { badField } from '@app/http/field-errors.exception';

/** A period code from a request, for a scope that started on `scopeStart`: 400 naming `period` otherwise. */
export function periodFor(code: unknown, scopeStart: string): Period {
  if (typeof code !== 'string' || code === '') {
    throw badField('period', 'is required, e.g. 2024, 2024-H1, 2024-Q3, 2024-YTD-Q2 or since-start');
  }
  let period: Period;
  try {
    period = parsePeriod(code, { sinceStart: scopeStart, today: todayInStockholm() });
  } catch (error) {
    if (error instanceof PeriodCodeError) throw badField('period', error.message);
    throw error;
  }
  if (period.end < scopeStart) throw badField('period', `ends before the scope started (${scopeStart})`);
  return period;
}

/** The last day of a period code whatever the scope (since start ends today); null for a code that is not valid. */
export function periodEndOf(code: unknown): string | null {
  if (typeof code !== 'string') return null;
  try {
    return parsePeriod(code, { sinceStart: '0001-01-01', today: todayInStockholm() }).end;
  } catch (error) {
    if (error instanceof PeriodCodeError) return null;
    throw error;
  }
}
