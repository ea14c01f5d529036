import { SURVEY_LABELS, WEB_TOOL_LABELS } from '@app/domain';
import type { PolarityShares } from '@app/surveys/survey-results';
import { DataTable, Freshness, type SimpleColumn } from './tables';

const L = SURVEY_LABELS.sheet;
const S = WEB_TOOL_LABELS.surveys;

type Cell = string | number | null;
// Board figures are published by the cell-key method: a count may read "<k".
type Previous = { answers: number | string; shares: PolarityShares } | { withheld: true } | null;

/** What SurveyReportService.report returns, exact or with board disclosure. */
export interface SurveyReport {
  year: number;
  asOf: string | null;
  fresh: boolean;
  disclosureControl?: { threshold: number };
  groups: {
    respondentGroup: string;
    invited: number;
    responses: number;
    responseRate: number | null;
    previousYear: { invited: number; responses: number; responseRate: number | null } | null;
    questions: {
      questionId: string;
      text: string;
      answers: number | string | null;
      shares: PolarityShares | null;
      previousYear: Previous;
    }[];
  }[];
}

const COLUMNS: SimpleColumn[] = [
  { key: 'question', label: S.question, kind: 'text' },
  { key: 'year', label: L.year, kind: 'text' },
  { key: 'negative', label: L.negative, kind: 'share' },
  { key: 'neutral', label: L.neutral, kind: 'share' },
  { key: 'positive', label: L.positive, kind: 'share' },
  { key: 'clearlyPositive', label: L.clearlyPositive, kind: 'share' },
  { key: 'answers', label: L.answers, kind: 'count' },
  { key: 'invited', label: L.invited, kind: 'count' },
  { key: 'responses', label: L.responses, kind: 'count' },
  { key: 'responseRate', label: L.responseRate, kind: 'share' },
];

function shareCells(answers: number | string, shares: PolarityShares): Record<string, Cell> {
  return { ...shares, answers };
}

/** The rows of one respondent group: the group's response rate, then each question, last year under each. */
export function surveyRows(group: SurveyReport['groups'][number], year: number, k?: number) {
  const withheld = (): Record<string, Cell> => ({ answers: S.withheld(k ?? 0) });
  const rows: Record<string, Cell>[] = [
    {
      question: S.groupRow,
      year: String(year),
      invited: group.invited,
      responses: group.responses,
      responseRate: group.responseRate,
    },
  ];
  if (group.previousYear) rows.push({ question: S.groupRow, year: String(year - 1), ...group.previousYear });
  for (const q of group.questions) {
    rows.push({
      question: q.text,
      year: String(year),
      ...(q.shares && q.answers !== null ? shareCells(q.answers, q.shares) : withheld()),
    });
    const before = q.previousYear;
    if (before)
      rows.push({
        question: q.text,
        year: String(year - 1),
        ...('withheld' in before ? withheld() : shareCells(before.answers, before.shares)),
      });
  }
  return rows;
}

/** The indicator-survey results of a scope and year, one accessible table per respondent group. */
export function SurveyResults({ report }: { report: SurveyReport }) {
  const k = report.disclosureControl?.threshold;
  return (
    <section aria-labelledby="surveys-title" class="survey-results">
      <h2 id="surveys-title">{S.resultsTitle(report.year)}</h2>
      {report.groups.length === 0 ? (
        <p>{S.noResults}</p>
      ) : (
        <>
          <Freshness asOf={report.asOf} fresh={report.fresh} />
          {k !== undefined ? <p class="hint">{S.boardNote(k)}</p> : null}
          {report.groups.map((g) => {
            const group =
              SURVEY_LABELS.respondentGroups[
                g.respondentGroup as keyof typeof SURVEY_LABELS.respondentGroups
              ] ?? g.respondentGroup;
            return (
              <DataTable
                key={g.respondentGroup}
                id={`survey-${g.respondentGroup}`}
                caption={S.resultsCaption(group, report.year)}
                columns={COLUMNS}
                rows={surveyRows(g, report.year, k)}
              />
            );
          })}
        </>
      )}
    </section>
  );
}
