// The disclosure rule of the indicator surveys for board members (README "Disclosure control"; issue 7:
// survey results follow the same rule as the reports). Two parts:
// 1. a question's figures are shown only when it has at least k answers (k = the association's threshold);
// 2. the figures of a question shown are published by the cell-key method, like every report count: each
//    answer count (and the number of answers) is `publishCount(true count, cell key, k)`, its cell key being
//    the sum of its responses' record keys, and the shares are computed from the published counts only.
// Evaluators see all, exactly.
import { publishCount, publishedShare, type KeyedCount } from '@app/domain/disclosure-control-cell-key';
import {
  answersKeyOf,
  type GroupWithPrevious,
  type PolarityCounts,
  type PolarityKeys,
  type PolarityShares,
  type QuestionWithPrevious,
  type SurveyKeys,
} from './survey-results';

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
  previousYear: PublishedFigures | { withheld: true } | null;
}

/** A question's figures as the board receives them: counts perturbed, shares from the published counts. */
export interface PublishedFigures {
  answers: number | string;
  counts: Record<keyof PolarityCounts, number | string>;
  shares: PolarityShares;
}

export interface PublishedQuestion
  extends Omit<QuestionWithPrevious, 'answers' | 'counts' | 'shares' | 'previousYear'>, PublishedFigures {
  previousYear: PublishedFigures | { withheld: true } | null;
}

/** The cell keys of the results a board view is made of: this year's, and last year's if there is one. */
export interface SurveyViewKeys {
  current: SurveyKeys;
  previous: SurveyKeys;
}

function publish(
  figures: { answers: number; counts: PolarityCounts },
  keys: PolarityKeys | undefined,
  k: number,
): PublishedFigures {
  if (!keys) throw new Error('A survey question with answers has no stored cell keys');
  const cell = (value: number, key: number): KeyedCount => ({ value, key });
  const one = (c: KeyedCount) => publishCount(c.value, c.key, k);
  const c = figures.counts;
  const counts = {
    negative: one(cell(c.negative, keys.negative)),
    neutral: one(cell(c.neutral, keys.neutral)),
    positive: one(cell(c.positive, keys.positive)),
    clearlyPositive: one(cell(c.clearlyPositive, keys.clearlyPositive)),
    excluded: one(cell(c.excluded, keys.excluded)),
  };
  const answers = one(cell(figures.answers, answersKeyOf(keys)));
  return {
    answers,
    counts,
    shares: {
      negative: publishedShare(counts.negative, answers),
      neutral: publishedShare(counts.neutral, answers),
      positive: publishedShare(counts.positive, answers),
      clearlyPositive: publishedShare(counts.clearlyPositive, answers),
    },
  };
}

function discloseQuestion(
  q: QuestionWithPrevious,
  k: number,
  keys: { current?: Record<string, PolarityKeys>; previous?: Record<string, PolarityKeys> },
): PublishedQuestion | WithheldQuestion {
  const previousYear = !q.previousYear
    ? null
    : questionDisclosed(q.previousYear.answers, k)
      ? publish(q.previousYear, keys.previous?.[q.questionId], k)
      : ({ withheld: true } as const);
  if (questionDisclosed(q.answers, k)) {
    return {
      questionId: q.questionId,
      text: q.text,
      indicator: q.indicator,
      ...publish(q, keys.current?.[q.questionId], k),
      previousYear,
    };
  }
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

/**
 * The board's view of survey groups: every question with fewer than k answers withheld (also last year's),
 * the others published by the cell-key method from the stored cell keys.
 */
export function discloseSurveyGroups(groups: GroupWithPrevious[], threshold: number, keys: SurveyViewKeys) {
  return groups.map((g) => ({
    ...g,
    questions: g.questions.map((q) =>
      discloseQuestion(q, threshold, {
        current: keys.current[g.respondentGroup],
        previous: keys.previous[g.respondentGroup],
      }),
    ),
  }));
}
