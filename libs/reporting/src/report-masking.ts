// Disclosure control applied to a report body (domain.md, "Disclosure control"; README "Disclosure control"):
// what board members and publication exports receive, by the cell-key method of
// libs/domain/src/disclosure-control-cell-key.ts, which holds across every report, scope and period.
import { EXIT_REASONS, GENDERS, exitCategoryOf, type ExitCategory } from '@app/domain';
import type { SumConstraint } from '@app/domain/disclosure-control';
import {
  categoryKeys,
  emptyPeriodKeys,
  publishCount,
  publishedShare,
  type PeriodKeys,
} from '@app/domain/disclosure-control-cell-key';
import type { ReportBody, ReportCounts } from './report-body';

type GenderKey = (typeof GENDERS)[number] | 'total';

/** Shown for a sum that touches a count shown as "<k" (Swedish statistics' sign for "not shown"). */
export const WITHHELD = '..';
const GENDER_KEYS: GenderKey[] = [...GENDERS, 'total'];

export type Masked<T> = T extends number
  ? number | string
  : T extends (infer U)[]
    ? Masked<U>[]
    : T extends object
      ? { [K in keyof T]: Masked<T[K]> }
      : T;

/**
 * Flattens the counts of a report into named values ("exitsByReason.work.woman") and the sum rules that hold
 * between them: the relations a reader can use, which the differencing tests feed to their solver.
 */
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

/**
 * The counts as published by the cell-key method (`publishCount`): zero stays 0, a small count is "<k", every
 * other count is perturbed by the noise its cell key draws. Shares are computed from published counts only
 * (the category's exits, itself a perturbed cell, over the published exits), and the median is shown only
 * where at least k exits are both true and published.
 */
export function maskCounts(c: ReportCounts, keys: PeriodKeys, k: number): Masked<ReportCounts> {
  const split = (counts: Record<GenderKey, number>, cellKeys: Record<GenderKey, number>) =>
    Object.fromEntries(GENDER_KEYS.map((g) => [g, publishCount(counts[g], cellKeys[g], k)])) as Record<
      GenderKey,
      number | string
    >;
  const byCode = (
    map: Record<string, Record<GenderKey, number>>,
    cellKeys: Record<string, Record<GenderKey, number>>,
  ) =>
    Object.fromEntries(Object.keys(map).map((code) => [code, split(map[code], cellKeys[code] ?? ZERO_KEYS)]));
  const exited = split(c.exited, keys.exited);
  const shares = (category: ExitCategory) => {
    const numerator = split(categoryCounts(c, category), categoryKeys(keys, category));
    return Object.fromEntries(GENDER_KEYS.map((g) => [g, publishedShare(numerator[g], exited[g])])) as Record<
      GenderKey,
      number | null
    >;
  };
  return {
    active: split(c.active, keys.active),
    new: split(c.new, keys.new),
    exited,
    exitsByReason: byCode(c.exitsByReason, keys.exitsByReason),
    newByReferringParty: byCode(c.newByReferringParty, keys.newByReferringParty),
    newByAgeBand: byCode(c.newByAgeBand, keys.newByAgeBand),
    newByEducationLevel: byCode(c.newByEducationLevel, keys.newByEducationLevel),
    newByMunicipality: byCode(c.newByMunicipality, keys.newByMunicipality),
    exitsByMunicipalityAndReason: Object.fromEntries(
      Object.keys(c.exitsByMunicipalityAndReason).map((m) => [
        m,
        Object.fromEntries(
          EXIT_REASONS.map((r) => [
            r,
            publishCount(
              c.exitsByMunicipalityAndReason[m][r],
              keys.exitsByMunicipalityAndReason[m]?.[r] ?? 0,
              k,
            ),
          ]),
        ),
      ]),
    ),
    socialAssistance: {
      atStart: publishCount(c.socialAssistance.atStart, keys.socialAssistance.atStart, k),
      atExit: publishCount(c.socialAssistance.atExit, keys.socialAssistance.atExit, k),
    },
    // A median of fewer than k durations comes close to describing individuals.
    medianDaysEnrolled: c.exited.total < k || typeof exited.total !== 'number' ? null : c.medianDaysEnrolled,
    persons: {
      active: publishCount(c.persons.active, keys.persons.active, k),
      new: publishCount(c.persons.new, keys.persons.new, k),
      exited: publishCount(c.persons.exited, keys.persons.exited, k),
    },
    shareWorkOrStudies: shares('work_or_studies'),
    shareOrdinaryIntervention: shares('ordinary_intervention'),
  } as Masked<ReportCounts>;
}

const ZERO_KEYS: Record<GenderKey, number> = { woman: 0, man: 0, unspecified: 0, total: 0 };

/** Exits in an exit category per gender: the numerator of its share. */
function categoryCounts(c: ReportCounts, category: ExitCategory): Record<GenderKey, number> {
  const out = { woman: 0, man: 0, unspecified: 0, total: 0 };
  for (const r of EXIT_REASONS) {
    if (exitCategoryOf(r) !== category) continue;
    for (const g of GENDER_KEYS) out[g] += c.exitsByReason[r][g];
  }
  return out;
}

export type MaskedReportBody = Omit<ReportBody, keyof ReportCounts | 'goals' | 'previousYear'> &
  Masked<ReportCounts> & {
    disclosureControl: { threshold: number };
    goals: Masked<ReportBody['goals']>;
    previousYear: (Masked<ReportCounts> & { period: { code: string; start: string; end: string } }) | null;
  };

/** Cell keys of a report's counts: the period's, and the same period a year earlier when the body has it. */
export interface ReportKeys {
  current: PeriodKeys;
  previousYear: PeriodKeys | null;
}

/** The whole report as a board member (or a publication export) receives it, from its exact body and keys. */
export function maskReport(body: ReportBody, keys: ReportKeys, k: number): MaskedReportBody {
  return assembleMaskedReport(body, publishedCounts(body, keys, k), k);
}

/** The published counts of a body's period and of the same period a year earlier. */
export interface PublishedCounts {
  current: Masked<ReportCounts>;
  previousYear: Masked<ReportCounts> | null;
}

/** `keys` must be the cell keys of exactly the records `body` counts. */
export function publishedCounts(
  body: Pick<ReportBody, keyof ReportCounts | 'previousYear'>,
  keys: ReportKeys,
  k: number,
): PublishedCounts {
  return {
    current: maskCounts(body, keys.current, k),
    previousYear: body.previousYear
      ? maskCounts(body.previousYear, keys.previousYear ?? emptyPeriodKeys(), k)
      : null,
  };
}

/**
 * A masked body: the report's frame (scope, period, asOf, fresh, goal targets) around published counts. Goal
 * actuals and attainment are rebuilt from the published counts, so they reveal nothing those do not.
 */
export function assembleMaskedReport(
  body: ReportBody,
  published: PublishedCounts,
  k: number,
): MaskedReportBody {
  const counts = published.current;
  const publishedActual = (metric: string, actual: number | null) => {
    if (actual === null) return null;
    if (metric === 'participants') return counts.active.total;
    if (metric === 'new_participants') return counts.new.total;
    return metric === 'share_work_or_studies'
      ? counts.shareWorkOrStudies.total
      : counts.shareOrdinaryIntervention.total;
  };
  const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    scope: body.scope,
    period: body.period,
    asOf: body.asOf,
    fresh: body.fresh,
    disclosureControl: { threshold: k },
    ...counts,
    goals: body.goals.map((g) => {
      // Attainment from the published actual, so it reveals nothing the published count does not.
      const actual = publishedActual(g.metric, g.actual);
      const attainment = typeof actual === 'number' && g.target > 0 ? round4(actual / g.target) : null;
      return { ...g, actual, attainment };
    }),
    previousYear:
      body.previousYear && published.previousYear
        ? { period: body.previousYear.period, ...published.previousYear }
        : null,
  };
}
