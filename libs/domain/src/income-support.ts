// Which income-support answers make sense together: a list of what a participant lived on, where `none`
// (no income support) and `unspecified` (not known) are answers on their own, never combined with another.
import type { IncomeSupport } from './codes';

const STANDS_ALONE: readonly IncomeSupport[] = ['none', 'unspecified'];

/** What is wrong with the combination, or null. */
export function incomeSupportCombinationProblem(list: readonly string[]): string | null {
  if (list.length < 2) return null;
  const alone = STANDS_ALONE.find((code) => list.includes(code));
  return alone ? `${alone} cannot be combined with another income support` : null;
}
