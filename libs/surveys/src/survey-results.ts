// Pure survey aggregation: answers of a set of rounds → the published table's numbers. The worker stores
// the result per scope and year; the read adds the year before from the stored row of that year.
import { addKeys, assertRecordKey } from '@app/domain/disclosure-control-cell-key';
import { RESPONDENT_GROUPS, type Polarity, type Questionnaire, type RespondentGroup } from './questionnaire';

export interface RoundFact {
  id: string;
  questionnaireId: string;
  invited: number;
  /** Empty: association-wide. */
  interventionIds: string[];
}

export interface ResponseFact {
  roundId: string;
  /** Question id → answer code; a missing question is unanswered. */
  answers: Record<string, string>;
}

export interface PolarityCounts {
  negative: number;
  neutral: number;
  /** Includes clearly positive answers. */
  positive: number;
  clearlyPositive: number;
  excluded: number;
}

export interface PolarityShares {
  negative: number | null;
  neutral: number | null;
  positive: number | null;
  clearlyPositive: number | null;
}

export interface QuestionResult {
  questionId: string;
  text: string;
  indicator: string | null;
  /** Answers in the denominator: "Vet ej" and unanswered are left out. */
  answers: number;
  counts: PolarityCounts;
  shares: PolarityShares;
}

export interface GroupResult {
  respondentGroup: RespondentGroup;
  invited: number;
  responses: number;
  responseRate: number | null;
  questions: QuestionResult[];
}

export interface SurveyResultBody {
  groups: GroupResult[];
  /**
   * The cell key of every answer count (README "Disclosure control"), by respondent group and question id:
   * stored beside the counts, never shown. Absent in results stored before responses had record keys.
   */
  keys?: SurveyKeys;
}

/** A response with its record key (`survey_response.disclosure_key`). */
export interface KeyedResponseFact extends ResponseFact {
  key: number;
}

/** Cell keys of a question's counts, in the shape of its counts. */
export type PolarityKeys = PolarityCounts;
export type SurveyKeys = Partial<Record<RespondentGroup, Record<string, PolarityKeys>>>;

const emptyCounts = (): PolarityCounts => ({
  negative: 0,
  neutral: 0,
  positive: 0,
  clearlyPositive: 0,
  excluded: 0,
});

export const answersOf = (c: PolarityCounts) => c.negative + c.neutral + c.positive;
/** The cell key of a question's answers (its denominator): the keys of the three disjoint polarities. */
export const answersKeyOf = (k: PolarityKeys) => addKeys(addKeys(k.negative, k.neutral), k.positive);

export function sharesOf(c: PolarityCounts): PolarityShares {
  const n = answersOf(c);
  const share = (x: number) => (n === 0 ? null : x / n);
  return {
    negative: share(c.negative),
    neutral: share(c.neutral),
    positive: share(c.positive),
    clearlyPositive: share(c.clearlyPositive),
  };
}

function count(counts: PolarityCounts, polarity: Polarity): void {
  if (polarity === 'clearly_positive') {
    counts.positive += 1;
    counts.clearlyPositive += 1;
  } else counts[polarity] += 1;
}

/**
 * The result of a set of rounds (one scope and year). Questions are keyed by id, so the same question in two
 * questionnaires of a group is summed; a question's text comes from the newest questionnaire asking it.
 */
export function surveyResult(
  rounds: RoundFact[],
  questionnaires: ReadonlyMap<string, Questionnaire>,
  responses: ResponseFact[],
): SurveyResultBody {
  const roundById = new Map(rounds.map((r) => [r.id, r]));
  const groups = new Map<
    RespondentGroup,
    {
      invited: number;
      responses: number;
      questions: Map<
        string,
        { text: string; indicator: string | null; validFrom: number; counts: PolarityCounts }
      >;
    }
  >();
  const questionnaireOf = (round: RoundFact) => {
    const q = questionnaires.get(round.questionnaireId);
    if (!q) throw new Error(`Questionnaire ${round.questionnaireId} of round ${round.id} is missing`);
    return q;
  };
  // Ordered by questionnaire age so a question's row keeps its first position and takes the newest text.
  const ordered = [...rounds].sort(
    (a, b) =>
      questionnaireOf(a).validFrom - questionnaireOf(b).validFrom ||
      a.questionnaireId.localeCompare(b.questionnaireId),
  );
  for (const round of ordered) {
    const q = questionnaireOf(round);
    let group = groups.get(q.respondentGroup);
    if (!group) groups.set(q.respondentGroup, (group = { invited: 0, responses: 0, questions: new Map() }));
    group.invited += round.invited;
    for (const question of q.questions) {
      const row = group.questions.get(question.id);
      const meta = { text: question.text, indicator: question.indicator ?? null, validFrom: q.validFrom };
      if (!row) group.questions.set(question.id, { ...meta, counts: emptyCounts() });
      else if (q.validFrom >= row.validFrom) Object.assign(row, meta);
    }
  }
  for (const response of responses) {
    const round = roundById.get(response.roundId);
    if (!round) continue;
    const q = questionnaireOf(round);
    const group = groups.get(q.respondentGroup)!;
    group.responses += 1;
    for (const question of q.questions) {
      const code = response.answers[question.id];
      if (code === undefined || code === '') continue; // unanswered
      const option = q.scales[question.scale].find((o) => o.code === code);
      if (!option) throw new Error(`Answer "${code}" to ${question.id} is not on its scale`);
      count(group.questions.get(question.id)!.counts, option.polarity);
    }
  }
  return {
    groups: RESPONDENT_GROUPS.filter((g) => groups.has(g)).map((g) => {
      const group = groups.get(g)!;
      return {
        respondentGroup: g,
        invited: group.invited,
        responses: group.responses,
        responseRate: group.invited === 0 ? null : group.responses / group.invited,
        questions: [...group.questions].map(([questionId, row]) => ({
          questionId,
          text: row.text,
          indicator: row.indicator,
          answers: answersOf(row.counts),
          counts: row.counts,
          shares: sharesOf(row.counts),
        })),
      };
    }),
  };
}

export interface QuestionWithPrevious extends QuestionResult {
  previousYear: Pick<QuestionResult, 'answers' | 'counts' | 'shares'> | null;
}
export interface GroupWithPrevious extends Omit<GroupResult, 'questions'> {
  previousYear: Pick<GroupResult, 'invited' | 'responses' | 'responseRate'> | null;
  questions: QuestionWithPrevious[];
}

/**
 * Adds the year before: a question is compared only when the same id was asked then (a reworded question
 * has a new id, so it is not compared); a group only when it was surveyed then.
 */
export function withPreviousYear(
  current: SurveyResultBody,
  previous: SurveyResultBody | null,
): GroupWithPrevious[] {
  return current.groups.map((group) => {
    const before = previous?.groups.find((g) => g.respondentGroup === group.respondentGroup);
    return {
      ...group,
      previousYear: before
        ? { invited: before.invited, responses: before.responses, responseRate: before.responseRate }
        : null,
      questions: group.questions.map((question) => {
        const asked = before?.questions.find((q) => q.questionId === question.questionId);
        return {
          ...question,
          previousYear: asked ? { answers: asked.answers, counts: asked.counts, shares: asked.shares } : null,
        };
      }),
    };
  });
}

/**
 * The cell keys of `surveyResult`'s answer counts: the same membership (a response counts in the question's
 * polarity cell, a clearly positive one also in "positive"), summing the responses' record keys modulo 2^48.
 */
export function surveyKeys(
  rounds: RoundFact[],
  questionnaires: ReadonlyMap<string, Questionnaire>,
  responses: KeyedResponseFact[],
): SurveyKeys {
  const roundById = new Map(rounds.map((r) => [r.id, r]));
  const keys: SurveyKeys = {};
  for (const response of responses) {
    const round = roundById.get(response.roundId);
    if (!round) continue;
    assertRecordKey(response.key);
    const q = questionnaires.get(round.questionnaireId);
    if (!q) throw new Error(`Questionnaire ${round.questionnaireId} of round ${round.id} is missing`);
    const group = (keys[q.respondentGroup] ??= {});
    for (const question of q.questions) {
      const code = response.answers[question.id];
      if (code === undefined || code === '') continue; // unanswered
      const option = q.scales[question.scale].find((o) => o.code === code);
      if (!option) throw new Error(`Answer "${code}" to ${question.id} is not on its scale`);
      const cell = (group[question.id] ??= emptyCounts());
      const add = (polarity: keyof PolarityKeys) => (cell[polarity] = addKeys(cell[polarity], response.key));
      if (option.polarity === 'clearly_positive') {
        add('positive');
        add('clearlyPositive');
      } else add(option.polarity);
    }
  }
  return keys;
}
