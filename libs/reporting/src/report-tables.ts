// The layouts associations already make by hand (domain.md, "Reports people already make by hand"), built
// from report bodies. Exact and disclosure-controlled bodies give the same tables; masked cells stay "<k".
import {
  AGE_BANDS,
  EDUCATION_LEVELS,
  EXIT_REASONS,
  EXIT_REASONS_IN_OVRIGT,
  GENDERS,
  AGE_BAND_LABELS,
  EDUCATION_LEVEL_LABELS,
  EXIT_REASON_LABELS,
  GENDER_PLURAL_LABELS,
  REFERRING_PARTIES,
  REFERRING_PARTY_LABELS,
  REPORT_LABELS as L,
} from '@app/domain';
import type { ReportBody } from './report-body';
import { WITHHELD, type MaskedReportBody } from './report-masking';

export type Cell = string | number | null;
export type ColumnKind = 'text' | 'count' | 'share' | 'number';
export interface Column {
  key: string;
  label: string;
  kind: ColumnKind;
}
export interface Table {
  id: keyof typeof L.tables;
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

export type AnyReport = ReportBody | MaskedReportBody;
type Counts = Record<string, number | string>;

export interface TableInput {
  /** The report of the whole scope (intervention, association or set). */
  report: AnyReport;
  /** One report per intervention, for the tables with a row per insats. */
  perIntervention: AnyReport[];
  municipalityNames: Record<string, string>;
}

const GENDER_ROWS = [...GENDERS, 'total'] as const;
const genderLabel = (g: (typeof GENDER_ROWS)[number]) => (g === 'total' ? L.total : GENDER_PLURAL_LABELS[g]);
const count = (key: string, label: string): Column => ({ key, label, kind: 'count' });
const share = (key: string, label: string): Column => ({ key, label, kind: 'share' });
const text = (key: string, label: string): Column => ({ key, label, kind: 'text' });

/**
 * A count's share of a total; null when either is masked or the total is zero. In a masked body every visible
 * count is 0 or at least k, so a share of two visible counts reveals nothing they do not.
 */
function shareOf(part: number | string, whole: number | string): number | null {
  if (typeof part !== 'number' || typeof whole !== 'number' || whole === 0) return null;
  return part / whole;
}

/** Sums of visible counts; a sum touching a masked count is itself withheld. */
function sumOf(values: (number | string)[]): number | string {
  if (values.some((v) => typeof v === 'string')) return WITHHELD;
  return (values as number[]).reduce((a, b) => a + b, 0);
}

function results(r: AnyReport): Table {
  const rows = GENDER_ROWS.map((g) => {
    const workOrStudies = sumOf([
      (r.exitsByReason.work as Counts)[g],
      (r.exitsByReason.studies as Counts)[g],
    ]);
    return {
      group: genderLabel(g),
      active: (r.active as Counts)[g],
      new: (r.new as Counts)[g],
      exited: (r.exited as Counts)[g],
      exitedWorkOrStudies: workOrStudies,
      shareWorkOrStudies: r.shareWorkOrStudies[g],
    } as Record<string, Cell>;
  });
  rows.push({
    group: L.uniquePersons,
    active: r.persons.active,
    new: r.persons.new,
    exited: r.persons.exited,
    exitedWorkOrStudies: null,
    shareWorkOrStudies: null,
  });
  return {
    id: 'results',
    title: L.tables.results,
    columns: [
      text('group', L.gender),
      count('active', L.columns.active),
      count('new', L.columns.new),
      count('exited', L.columns.exited),
      count('exitedWorkOrStudies', L.columns.exitedWorkOrStudies),
      share('shareWorkOrStudies', L.columns.shareWorkOrStudies),
    ],
    rows,
  };
}

function goals(parts: AnyReport[]): Table {
  const goalOf = (r: AnyReport, metric: string) => r.goals.find((g) => g.metric === metric);
  return {
    id: 'goals',
    title: L.tables.goals,
    columns: [
      text('intervention', L.intervention),
      count('goalParticipants', L.columns.goalParticipants),
      count('active', L.columns.active),
      count('goalNew', L.columns.goalNew),
      count('new', L.columns.new),
      share('goalShareWorkOrStudies', L.columns.goalShareWorkOrStudies),
      share('shareWorkOrStudies', L.columns.shareWorkOrStudies),
      share('goalShareOrdinary', L.columns.goalShareOrdinary),
      share('shareOrdinaryIntervention', L.columns.shareOrdinaryIntervention),
    ],
    rows: parts.map((r) => ({
      intervention: r.scope.name,
      goalParticipants: goalOf(r, 'participants')?.target ?? null,
      active: r.active.total,
      goalNew: goalOf(r, 'new_participants')?.target ?? null,
      new: r.new.total,
      goalShareWorkOrStudies: goalOf(r, 'share_work_or_studies')?.target ?? null,
      shareWorkOrStudies: r.shareWorkOrStudies.total,
      goalShareOrdinary: goalOf(r, 'share_ordinary_intervention')?.target ?? null,
      shareOrdinaryIntervention: r.shareOrdinaryIntervention.total,
    })),
  };
}

function newByReferringParty(report: AnyReport, parts: AnyReport[]): Table {
  const row = (name: string, r: AnyReport) => ({
    intervention: name,
    ...Object.fromEntries(REFERRING_PARTIES.map((p) => [p, (r.newByReferringParty[p] as Counts).total])),
    total: r.new.total,
  });
  return {
    id: 'newByReferringParty',
    title: L.tables.newByReferringParty,
    columns: [
      text('intervention', L.intervention),
      ...REFERRING_PARTIES.map((p) => count(p, REFERRING_PARTY_LABELS[p])),
      count('total', L.total),
    ],
    rows: [...parts.map((r) => row(r.scope.name, r)), ...(parts.length > 1 ? [row(L.total, report)] : [])],
  };
}

function exitsByGenderAndReason(r: AnyReport): Table {
  return {
    id: 'exitsByGenderAndReason',
    title: L.tables.exitsByGenderAndReason,
    columns: [
      text('group', L.gender),
      ...EXIT_REASONS.map((x) => count(x, EXIT_REASON_LABELS[x])),
      count('ovrigt', L.ovrigt),
      count('total', L.total),
    ],
    rows: GENDER_ROWS.map((g) => ({
      group: genderLabel(g),
      ...Object.fromEntries(EXIT_REASONS.map((x) => [x, (r.exitsByReason[x] as Counts)[g]])),
      ovrigt: sumOf(EXIT_REASONS_IN_OVRIGT.map((x) => (r.exitsByReason[x] as Counts)[g])),
      total: (r.exited as Counts)[g],
    })),
  };
}

function exitsByMunicipalityAndReason(r: AnyReport, names: Record<string, string>): Table {
  const municipalities = Object.keys(r.exitsByMunicipalityAndReason).sort();
  return {
    id: 'exitsByMunicipalityAndReason',
    title: L.tables.exitsByMunicipalityAndReason,
    columns: [
      text('municipality', L.municipality),
      ...EXIT_REASONS.map((x) => count(x, EXIT_REASON_LABELS[x])),
      count('total', L.total),
    ],
    rows: [
      ...municipalities.map((m) => {
        const cells = r.exitsByMunicipalityAndReason[m] as Counts;
        return {
          municipality: `${names[m] ?? m} (${m})`,
          ...Object.fromEntries(EXIT_REASONS.map((x) => [x, cells[x]])),
          total: sumOf(EXIT_REASONS.map((x) => cells[x])),
        };
      }),
      {
        municipality: L.total,
        ...Object.fromEntries(EXIT_REASONS.map((x) => [x, (r.exitsByReason[x] as Counts).total])),
        total: r.exited.total,
      },
    ],
  };
}

function distributionShares<C extends string>(
  id: 'newByAgeBand' | 'newByEducationLevel',
  codes: readonly C[],
  labels: Record<C, string>,
  pick: (r: AnyReport) => Record<C, unknown>,
  report: AnyReport,
  parts: AnyReport[],
): Table {
  const row = (name: string, r: AnyReport) => {
    const map = pick(r);
    return {
      intervention: name,
      ...Object.fromEntries(codes.map((c) => [c, shareOf((map[c] as Counts).total, r.new.total)])),
      new: r.new.total,
    };
  };
  return {
    id,
    title: L.tables[id],
    columns: [
      text('intervention', L.intervention),
      ...codes.map((c) => share(c, labels[c])),
      count('new', L.columns.new),
    ],
    rows: [...parts.map((r) => row(r.scope.name, r)), ...(parts.length > 1 ? [row(L.total, report)] : [])],
  };
}

function socialAssistance(report: AnyReport, parts: AnyReport[]): Table {
  const row = (name: string, r: AnyReport) => {
    return {
      intervention: name,
      exited: r.exited.total,
      atStart: r.socialAssistance.atStart,
      shareAtStart: shareOf(r.socialAssistance.atStart, r.exited.total),
      atExit: r.socialAssistance.atExit,
      shareAtExit: shareOf(r.socialAssistance.atExit, r.exited.total),
    };
  };
  return {
    id: 'socialAssistance',
    title: L.tables.socialAssistance,
    columns: [
      text('intervention', L.intervention),
      count('exited', L.columns.exited),
      count('atStart', L.columns.socialAssistanceAtStart),
      share('shareAtStart', L.columns.shareAtStart),
      count('atExit', L.columns.socialAssistanceAtExit),
      share('shareAtExit', L.columns.shareAtExit),
    ],
    rows: [...parts.map((r) => row(r.scope.name, r)), ...(parts.length > 1 ? [row(L.total, report)] : [])],
  };
}

function comparison(r: AnyReport): Table {
  const previous = r.previousYear;
  const change = (now: Cell, before: Cell) =>
    typeof now === 'number' && typeof before === 'number' ? now - before : null;
  const line = (label: string, now: Cell, before: Cell, kind: 'count' | 'share') => ({
    measure: label,
    kind,
    thisPeriod: now,
    previousYear: before,
    change: change(now, before),
  });
  const lines = [
    line(L.columns.active, r.active.total, previous?.active.total ?? null, 'count'),
    line(L.columns.new, r.new.total, previous?.new.total ?? null, 'count'),
    line(L.columns.exited, r.exited.total, previous?.exited.total ?? null, 'count'),
    line(
      L.columns.shareWorkOrStudies,
      r.shareWorkOrStudies.total,
      previous?.shareWorkOrStudies.total ?? null,
      'share',
    ),
    line(
      L.columns.shareOrdinaryIntervention,
      r.shareOrdinaryIntervention.total,
      previous?.shareOrdinaryIntervention.total ?? null,
      'share',
    ),
  ];
  return {
    id: 'comparison',
    title: L.tables.comparison,
    columns: [
      text('measure', ''),
      { key: 'thisPeriod', label: `${L.columns.thisPeriod} ${r.period.code}`, kind: 'number' },
      {
        key: 'previousYear',
        label: `${L.columns.previousYear}${previous ? ` ${previous.period.code}` : ''}`,
        kind: 'number',
      },
      { key: 'change', label: L.columns.change, kind: 'number' },
    ],
    rows: lines.map(({ kind, ...rest }) => ({ ...rest, kind })),
  };
}

/** Every table of domain.md for one scope and period, in the order of the annual report's appendix. */
export function buildTables(input: TableInput): Table[] {
  const { report, perIntervention, municipalityNames } = input;
  return [
    results(report),
    goals(perIntervention),
    newByReferringParty(report, perIntervention),
    exitsByGenderAndReason(report),
    exitsByMunicipalityAndReason(report, municipalityNames),
    distributionShares(
      'newByAgeBand',
      AGE_BANDS,
      AGE_BAND_LABELS,
      (r) => r.newByAgeBand,
      report,
      perIntervention,
    ),
    distributionShares(
      'newByEducationLevel',
      EDUCATION_LEVELS,
      EDUCATION_LEVEL_LABELS,
      (r) => r.newByEducationLevel,
      report,
      perIntervention,
    ),
    socialAssistance(report, perIntervention),
    comparison(report),
  ];
}
