// Answer values → stored codes, shared by the evaluator's entry, the file import and the web form.
import { findOption, type Questionnaire, type ScaleOption } from './questionnaire';

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
export function answerCode(scale: ScaleOption[], value: unknown): { code?: string; problem?: string } {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'string' && typeof value !== 'number')
    return { problem: 'must be an answer code or label' };
  const text = String(value).trim();
  if (text === '') return {};
  const option = findOption(scale, text);
  return option
    ? { code: option.code }
    : { problem: `"${text}" is not on the scale: ${describeScale(scale)}` };
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
    if (problem) problems.push({ questionId, message: problem });
    else if (code !== undefined) out[questionId] = code;
  }
  return { answers: out, problems };
}
