// The report body of api-v1.md, assembled from stored period counts: plain functions.
import { exitShare, type GenderShares, type Period, type PeriodCounts } from '@app/domain';

export interface GoalTargets {
  participants: number | null;
  newParticipants: number | null;
  shareWorkOrStudies: number | null;
  shareOrdinaryIntervention: number | null;
}

export interface GoalLine {
  metric: 'participants' | 'new_participants' | 'share_work_or_studies' | 'share_ordinary_intervention';
  /** For a part-year period, count goals pro-rated linearly ("on track"); shares are not pro-rated. */
  target: number;
  fullYearTarget: number;
  actual: number | null;
  attainment: number | null;
}

export type ReportCounts = Omit<PeriodCounts, 'persons'> & {
  persons: PeriodCounts['persons'];
  shareWorkOrStudies: GenderShares;
  shareOrdinaryIntervention: GenderShares;
};

export interface ReportBody extends ReportCounts {
  scope: {
    type: 'intervention' | 'association' | 'interventionSet' | 'region';
    id: string;
    name: string;
    interventionIds?: string[];
    associationIds?: string[];
  };
  period: { code: string; start: string; end: string };
  asOf: string | null;
  fresh: boolean;
  goals: GoalLine[];
  previousYear: (ReportCounts & { period: { code: string; start: string; end: string } }) | null;
}

export function withShares(c: PeriodCounts): ReportCounts {
  return {
    ...c,
    shareWorkOrStudies: exitShare(c, 'work_or_studies'),
    shareOrdinaryIntervention: exitShare(c, 'ordinary_intervention'),
  };
}

function daysInclusive(start: string, end: string): number {
  return (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000 + 1;
}

/** Fraction of the goal year that a period covers (1 for the whole year). */
export function yearFraction(period: Pick<Period, 'start' | 'end' | 'year'>): number {
  if (period.year === null) return 1;
  return (
    daysInclusive(period.start, period.end) / daysInclusive(`${period.year}-01-01`, `${period.year}-12-31`)
  );
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function goalLines(
  goals: GoalTargets | null,
  counts: ReportCounts,
  period: Pick<Period, 'start' | 'end' | 'year'>,
): GoalLine[] {
  if (!goals || period.year === null) return [];
  const fraction = yearFraction(period);
  const lines: GoalLine[] = [];
  const count = (metric: GoalLine['metric'], fullYear: number | null, actual: number) => {
    if (fullYear === null) return;
    const target = round4(fullYear * fraction);
    lines.push({
      metric,
      target,
      fullYearTarget: fullYear,
      actual,
      attainment: target > 0 ? round4(actual / target) : null,
    });
  };
  const share = (metric: GoalLine['metric'], fullYear: number | null, actual: number | null) => {
    if (fullYear === null) return;
    lines.push({
      metric,
      target: fullYear,
      fullYearTarget: fullYear,
      actual,
      attainment: actual !== null && fullYear > 0 ? round4(actual / fullYear) : null,
    });
  };
  count('participants', goals.participants, counts.active.total);
  count('new_participants', goals.newParticipants, counts.new.total);
  share('share_work_or_studies', goals.shareWorkOrStudies, counts.shareWorkOrStudies.total);
  share(
    'share_ordinary_intervention',
    goals.shareOrdinaryIntervention,
    counts.shareOrdinaryIntervention.total,
  );
  return lines;
}
