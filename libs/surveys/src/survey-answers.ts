// Answer values → stored codes, shared by the evaluator's entry, the file import and the web form.
import {
  codedText,
  containsPersonalNumber,
  type Coded,
  type ProblemCatalogue,
  type SurveyFileProblemParams,
} from '@app/domain';
import { findOption, type Questionnaire, type ScaleOption } from './questionnaire';

type AnswerValueParams = Pick<SurveyFileProblemParams, 'not_an_answer' | 'not_on_scale' | 'personal_number'>;
/** Why a value is not an answer of its question's scale (the file import reports it by row and column). */
export type AnswerValueProblem = Coded<AnswerValueParams>;

export const ANSWER_VALUE_MESSAGES: ProblemCatalogue<AnswerValueParams> = {
  not_an_answer: () => 'must be an answer code or label',
  not_on_scale: ({ value, scale }) => `"${value}" is not on the scale: ${scale}`,
  personal_number: () =>
    'looks like a personal or coordination number; such numbers are never stored or shown: give an answer option',
};

export interface AnswerProblem {
  questionId: string;
  message: string;
}

export function scaleOf(q: Questionnaire, questionId: string): ScaleOption[] | undefined {
  const question = q.questions.find((x) => x.id === questionId);
  return question ? q.scales[question.scale] : undefined;
}

export const describeScale = (scale: ScaleOption[]) => scale.map((o) => `${o.code} (${o.label})`).join(', ');

/** One answer: a code or label of the question's scale → its code; blank → unanswered (undefined). */
export function answerCode(
  scale: ScaleOption[],
  value: unknown,
): { code?: string; problem?: AnswerValueProblem } {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'string' && typeof value !== 'number')
    return { problem: { code: 'not_an_answer', params: {} } };
  const text = String(value).trim();
  if (text === '') return {};
  const option = findOption(scale, text);
  // A value that is not an answer is echoed in the problem, unless it may identify someone.
  if (!option && containsPersonalNumber(text)) return { problem: { code: 'personal_number', params: {} } };
  return option
    ? { code: option.code }
    : { problem: { code: 'not_on_scale', params: { value: text, scale: describeScale(scale) } } };
}

/** A respondent's answers by question id, normalised to codes; every unknown question or value reported. */
export function normaliseAnswers(
  q: Questionnaire,
  answers: Record<string, unknown>,
): { answers: Record<string, string>; problems: AnswerProblem[] } {
  const out: Record<string, string> = {};
  const problems: AnswerProblem[] = [];
  for (const [questionId, value] of Object.entries(answers)) {
    const scale = scaleOf(q, questionId);
    if (!scale) {
      problems.push({ questionId, message: `is not a question of ${q.id}` });
      continue;
    }
    const { code, problem } = answerCode(scale, value);
    if (problem) problems.push({ questionId, message: codedText(ANSWER_VALUE_MESSAGES, problem) });
    else if (code !== undefined) out[questionId] = code;
  }
  return { answers: out, problems };
}
