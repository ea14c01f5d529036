// The "Indikatorenkäter" sheet, laid out as the published table: per respondent group a row with invited,
// answers and response rate (and last year's under it); per question a row of negative / neither / positive
// (clearly positive) shares and its answers, with last year's row under it when the question was asked then.
import { SURVEY_LABELS } from '@app/domain';
import type { PolarityShares } from './survey-results';

const L = SURVEY_LABELS.sheet;

type Cell = string | number | null;
type Kind = 'text' | 'count' | 'share' | 'number';

interface SheetQuestion {
  text: string;
  /** A string for the board: a published count may read "<k" (README "Disclosure control"). */
  answers: number | string | null;
  shares: PolarityShares | null;
  previousYear: { answers: number | string; shares: PolarityShares } | { withheld: true } | null;
}
interface SheetGroup {
  respondentGroup: keyof typeof SURVEY_LABELS.respondentGroups;
  invited: number;
  responses: number;
  responseRate: number | null;
  previousYear: { invited: number; responses: number; responseRate: number | null } | null;
  questions: SheetQuestion[];
}
export interface SurveySheetInput {
  year: number;
  disclosureControl?: { threshold: number };
  groups: SheetGroup[];
}

export const SURVEY_SHEET_COLUMNS: { key: string; label: string; kind: Kind }[] = [
  { key: 'group', label: L.group, kind: 'text' },
  { key: 'question', label: L.question, kind: 'text' },
  { key: 'year', label: L.year, kind: 'count' },
  { key: 'negative', label: L.negative, kind: 'share' },
  { key: 'neutral', label: L.neutral, kind: 'share' },
  { key: 'positive', label: L.positive, kind: 'share' },
  { key: 'clearlyPositive', label: L.clearlyPositive, kind: 'share' },
  { key: 'answers', label: L.answers, kind: 'count' },
  { key: 'invited', label: L.invited, kind: 'count' },
  { key: 'responses', label: L.responses, kind: 'count' },
  { key: 'responseRate', label: L.responseRate, kind: 'share' },
];

function questionRow(
  question: string,
  year: number,
  answers: number | string,
  shares: PolarityShares,
): Record<string, Cell> {
  return {
    group: '',
    question,
    year,
    negative: shares.negative,
    neutral: shares.neutral,
    positive: shares.positive,
    clearlyPositive: shares.clearlyPositive,
    answers,
  };
}

export function surveySheet(result: SurveySheetInput) {
  const k = result.disclosureControl?.threshold;
  const withheld = (question: string, year: number): Record<string, Cell> => ({
    group: '',
    question,
    year,
    answers: `<${k}`,
  });
  const rows: Record<string, Cell>[] = [];
  for (const g of result.groups) {
    rows.push({
      group: SURVEY_LABELS.respondentGroups[g.respondentGroup],
      question: '',
      year: result.year,
      invited: g.invited,
      responses: g.responses,
      responseRate: g.responseRate,
    });
    if (g.previousYear)
      rows.push({
        group: '',
        question: '',
        year: result.year - 1,
        invited: g.previousYear.invited,
        responses: g.previousYear.responses,
        responseRate: g.previousYear.responseRate,
      });
    for (const q of g.questions) {
      rows.push(
        q.shares && q.answers !== null
          ? questionRow(q.text, result.year, q.answers, q.shares)
          : withheld(q.text, result.year),
      );
      const before = q.previousYear;
      if (before && 'withheld' in before) rows.push(withheld('', result.year - 1));
      else if (before) rows.push(questionRow('', result.year - 1, before.answers, before.shares));
    }
  }
  return { name: L.name, columns: SURVEY_SHEET_COLUMNS, rows };
}
