// Disclosure control applied to a report body (domain.md, "Disclosure control"): what board members and
// publication exports receive. Every count that a sum links to others is a named value with its constraints,
// so secondary suppression works across the tables of one report.
import { EXIT_REASONS, GENDERS, exitCategoryOf, type ExitCategory } from '@app/domain';
import {
  determinedMasked,
  maskedLabel,
  maskShare,
  suppress,
  type SumConstraint,
} from '@app/domain/disclosure-control';
import type { ReportBody, ReportCounts } from './report-body';

type GenderKey = (typeof GENDERS)[number] | 'total';

/** Shown for a count withheld by secondary suppression (Swedish statistics' sign for "not shown"). */
export const WITHHELD = '..';
const GENDER_KEYS: GenderKey[] = [...GENDERS, 'total'];

export type Masked<T> = T extends number
  ? number | string
  : T extends (infer U)[]
    ? Masked<U>[]
    : T extends object
      ? { [K in keyof T]: Masked<T[K]> }
      : T;

/** Flattens the counts of a report into named values ("exitsByReason.work.woman") and their sum rules. */
export function countModel(c: ReportCounts): {
  values: Record<string, number>;
  constraints: SumConstraint[];
} {
  const values: Record<string, number> = {};
  const constraints: SumConstraint[] = [];
  const genderSplit = (prefix: string, counts: Record<GenderKey, number>) => {
    for (const g of GENDER_KEYS) values[`${prefix}.${g}`] = counts[g];
    constraints.push({ total: `${prefix}.total`, parts: GENDERS.map((g) => `${prefix}.${g}`) });
  };
  /** A distribution by some code, per gender, that sums to a gender-split margin. */
  const distribution = (name: string, map: Record<string, Record<GenderKey, number>>, margin: string) => {
    const codes = Object.keys(map);
    for (const code of codes) genderSplit(`${name}.${code}`, map[code]);
    for (const g of GENDER_KEYS)
      constraints.push({ total: `${margin}.${g}`, parts: codes.map((code) => `${name}.${code}.${g}`) });
  };

  genderSplit('active', c.active);
  genderSplit('new', c.new);
  genderSplit('exited', c.exited);
  distribution('exitsByReason', c.exitsByReason, 'exited');
  distribution('newByReferringParty', c.newByReferringParty, 'new');
  distribution('newByAgeBand', c.newByAgeBand, 'new');
  distribution('newByEducationLevel', c.newByEducationLevel, 'new');
  distribution('newByMunicipality', c.newByMunicipality, 'new');
  const municipalities = Object.keys(c.exitsByMunicipalityAndReason);
  for (const m of municipalities)
    for (const r of EXIT_REASONS)
      values[`exitsByMunicipalityAndReason.${m}.${r}`] = c.exitsByMunicipalityAndReason[m][r];
  for (const r of EXIT_REASONS) {
    constraints.push({
      total: `exitsByReason.${r}.total`,
      parts: municipalities.map((m) => `exitsByMunicipalityAndReason.${m}.${r}`),
    });
  }
  values['socialAssistance.atStart'] = c.socialAssistance.atStart;
  values['socialAssistance.atExit'] = c.socialAssistance.atExit;
  for (const p of ['active', 'new', 'exited'] as const) values[`persons.${p}`] = c.persons[p];
  return { values, constraints };
}

function shareNumeratorKeys(category: ExitCategory, g: GenderKey): string[] {
  return EXIT_REASONS.filter((r) => exitCategoryOf(r) === category).map((r) => `exitsByReason.${r}.${g}`);
}

/** The counts with masked values replaced by "<k", shares and the median hidden where they would reveal them. */
export function maskCounts(c: ReportCounts, k: number): Masked<ReportCounts> {
  const { values, constraints } = countModel(c);
  const masked = suppress(values, constraints, k);
  // suppress() guarantees this; checked again because a leak here would be a privacy breach, not a bug report.
  if (determinedMasked(values, constraints, masked).length > 0) {
    throw new Error('Disclosure control left a masked count that the totals determine');
  }
  const label = maskedLabel(k);
  // A small count shows "<k"; a larger one masked only to protect another shows "..", since "<k" would be false.
  const show = (key: string) => (!masked.has(key) ? values[key] : values[key] < k ? label : WITHHELD);
  const split = (prefix: string) =>
    Object.fromEntries(GENDER_KEYS.map((g) => [g, show(`${prefix}.${g}`)])) as Record<
      GenderKey,
      number | string
    >;
  const byCode = (name: string, map: Record<string, unknown>) =>
    Object.fromEntries(Object.keys(map).map((code) => [code, split(`${name}.${code}`)]));
  const shares = (category: ExitCategory) =>
    Object.fromEntries(
      GENDER_KEYS.map((g) => {
        const share =
          category === 'work_or_studies' ? c.shareWorkOrStudies[g] : c.shareOrdinaryIntervention[g];
        // The denominator's key too: a withheld exit total (>= k) must not be recoverable from share and numerator.
        return [
          g,
          maskShare(share, c.exited[g], [...shareNumeratorKeys(category, g), `exited.${g}`], masked, k),
        ];
      }),
    ) as Record<GenderKey, number | null>;
  return {
    active: split('active'),
    new: split('new'),
    exited: split('exited'),
    exitsByReason: byCode('exitsByReason', c.exitsByReason),
    newByReferringParty: byCode('newByReferringParty', c.newByReferringParty),
    newByAgeBand: byCode('newByAgeBand', c.newByAgeBand),
    newByEducationLevel: byCode('newByEducationLevel', c.newByEducationLevel),
    newByMunicipality: byCode('newByMunicipality', c.newByMunicipality),
    exitsByMunicipalityAndReason: Object.fromEntries(
      Object.keys(c.exitsByMunicipalityAndReason).map((m) => [
        m,
        Object.fromEntries(EXIT_REASONS.map((r) => [r, show(`exitsByMunicipalityAndReason.${m}.${r}`)])),
      ]),
    ),
    socialAssistance: { atStart: show('socialAssistance.atStart'), atExit: show('socialAssistance.atExit') },
    // A median of fewer than k durations comes close to describing individuals.
    medianDaysEnrolled: c.exited.total < k ? null : c.medianDaysEnrolled,
    persons: { active: show('persons.active'), new: show('persons.new'), exited: show('persons.exited') },
    shareWorkOrStudies: shares('work_or_studies'),
    shareOrdinaryIntervention: shares('ordinary_intervention'),
  } as Masked<ReportCounts>;
}

export type MaskedReportBody = Omit<ReportBody, keyof ReportCounts | 'goals' | 'previousYear'> &
  Masked<ReportCounts> & {
    disclosureControl: { threshold: number };
    goals: Masked<ReportBody['goals']>;
    previousYear: (Masked<ReportCounts> & { period: { code: string; start: string; end: string } }) | null;
  };

/** The whole report as a board member (or a publication export) receives it. */
export function maskReport(body: ReportBody, k: number): MaskedReportBody {
  const counts = maskCounts(body, k);
  const hiddenActual = (metric: string, actual: number | null) => {
    if (actual === null) return null;
    if (metric === 'participants') return counts.active.total;
    if (metric === 'new_participants') return counts.new.total;
    return metric === 'share_work_or_studies'
      ? counts.shareWorkOrStudies.total
      : counts.shareOrdinaryIntervention.total;
  };
  return {
    scope: body.scope,
    period: body.period,
    asOf: body.asOf,
    fresh: body.fresh,
    disclosureControl: { threshold: k },
    ...counts,
    goals: body.goals.map((g) => {
      const actual = hiddenActual(g.metric, g.actual);
      return { ...g, actual, attainment: typeof actual === 'number' ? g.attainment : null };
    }),
    previousYear: body.previousYear
      ? { period: body.previousYear.period, ...maskCounts(body.previousYear, k) }
      : null,
  };
}
