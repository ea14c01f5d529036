// "What stands out" on the board dashboard: a few plain-Swedish lines computed from the masked figures.
import { WEB_LABELS as W } from '@app/domain';

export interface StandOutGoal {
  metric: string;
  /** Pro-rated target for count goals (the period's share of the year), the goal itself for shares. */
  target: number | string;
  actual: number | string | null;
}

export interface StandOutInput {
  name: string;
  goals: StandOutGoal[];
  /** Shares to work or studies by gender; null where withheld or without exits. */
  shareWorkOrStudies: { woman: number | string | null; man: number | string | null };
}

const BELOW = 0.75;
const GENDER_GAP = 0.15;
const pct = (x: number) => Math.round(x * 100);

/**
 * Lines for the insatser that differ most from their goals: below 75 % of a pro-rated count goal, a
 * count goal already met, a share goal missed, and a gap of 15 percentage points or more between women
 * and men. Withheld figures ("<3", "..") are never compared, so a line cannot reveal them.
 */
export function standOut(insatser: StandOutInput[]): string[] {
  const S = W.board.stand;
  const lines: string[] = [];
  for (const i of insatser) {
    for (const g of i.goals) {
      if (typeof g.actual !== 'number' || typeof g.target !== 'number' || g.target <= 0) continue;
      const ratio = g.actual / g.target;
      if (g.metric === 'participants' || g.metric === 'new_participants') {
        const measure = W.board.measures[g.metric];
        if (ratio < BELOW) lines.push(S.belowGoal(i.name, measure, pct(ratio)));
      } else if (g.metric === 'share_work_or_studies' && ratio < BELOW) {
        lines.push(S.shareBelowGoal(i.name, pct(g.actual), pct(g.target as number)));
      }
    }
    const { woman, man } = i.shareWorkOrStudies;
    if (typeof woman === 'number' && typeof man === 'number' && Math.abs(woman - man) >= GENDER_GAP) {
      lines.push(S.genderGap(i.name, pct(woman), pct(man)));
    }
  }
  return lines.length ? lines : [S.nothing];
}
