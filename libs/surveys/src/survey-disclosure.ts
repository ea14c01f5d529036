// The one disclosure rule of the indicator surveys (kept in one function so the cross-report method of the
// disclosure work can replace it in one place): a board member gets a question's figures only when the
// question has at least k answers, k being the association's disclosure threshold. Evaluators see all.
import type { GroupWithPrevious, QuestionWithPrevious } from './survey-results';

export const questionDisclosed = (answers: number, threshold: number): boolean => answers >= threshold;

export interface WithheldQuestion {
  questionId: string;
  text: string;
  indicator: string | null;
  /** True: fewer than k answers, so no figures are shown. */
  withheld: true;
  answers: null;
  counts: null;
  shares: null;
  previousYear: QuestionWithPrevious['previousYear'] | { withheld: true } | null;
}

function discloseQuestion(q: QuestionWithPrevious, k: number): QuestionWithPrevious | WithheldQuestion {
  const previousYear =
    q.previousYear && !questionDisclosed(q.previousYear.answers, k)
      ? ({ withheld: true } as const)
      : q.previousYear;
  if (questionDisclosed(q.answers, k)) return { ...q, previousYear } as QuestionWithPrevious;
  return {
    questionId: q.questionId,
    text: q.text,
    indicator: q.indicator,
    withheld: true,
    answers: null,
    counts: null,
    shares: null,
    previousYear,
  };
}

/** The board's view of survey groups: every question with fewer than k answers withheld (also last year's). */
export function discloseSurveyGroups(groups: GroupWithPrevious[], threshold: number) {
  return groups.map((g) => ({ ...g, questions: g.questions.map((q) => discloseQuestion(q, threshold)) }));
}
