import fc from 'fast-check';
import type { Polarity, Questionnaire } from './questionnaire';
import { CELL_KEY_MODULUS, possibleTrueValues, publishCount } from '@app/domain/disclosure-control-cell-key';
import {
  surveyKeys,
  surveyResult,
  withPreviousYear,
  type KeyedResponseFact,
  type ResponseFact,
  type RoundFact,
} from './survey-results';
import { discloseSurveyGroups, questionDisclosed } from './survey-disclosure';

const EXTENT = [
  { code: '1', label: 'Inte alls', polarity: 'negative' as const },
  { code: '2', label: 'Till liten del', polarity: 'negative' as const },
  { code: '3', label: 'Delvis', polarity: 'neutral' as const },
  { code: '4', label: 'Till stor del', polarity: 'positive' as const },
  { code: '5', label: 'Helt och hållet', polarity: 'clearly_positive' as const },
  { code: '0', label: 'Vet ej / ej aktuellt', polarity: 'excluded' as const },
];

function questionnaire(id: string, validFrom: number, questionIds: string[], group = 'staff'): Questionnaire {
  return {
    id,
    respondentGroup: group as Questionnaire['respondentGroup'],
    title: id,
    validFrom,
    scales: { extent: EXTENT },
    questions: questionIds.map((q) => ({ id: q, text: `Text ${q} ${validFrom}`, scale: 'extent' })),
  };
}

const catalogue = (...qs: Questionnaire[]) => new Map(qs.map((q) => [q.id, q]));

describe('surveyResult, cell by cell', () => {
  const staff = questionnaire('staff-2021', 2021, ['a', 'b']);
  const round: RoundFact = { id: 'r1', questionnaireId: 'staff-2021', invited: 10, interventionIds: ['i1'] };
  const responses: ResponseFact[] = [
    { roundId: 'r1', answers: { a: '5', b: '0' } },
    { roundId: 'r1', answers: { a: '4', b: '1' } },
    { roundId: 'r1', answers: { a: '3' } }, // b unanswered
    { roundId: 'r1', answers: { a: '1', b: '5' } },
    { roundId: 'r1', answers: { a: '0', b: '2' } },
  ];

  it('leaves "Vet ej" and unanswered questions out of that question’s denominator', () => {
    const [group] = surveyResult([round], catalogue(staff), responses).groups;
    expect(group).toMatchObject({ respondentGroup: 'staff', invited: 10, responses: 5, responseRate: 0.5 });
    const [a, b] = group.questions;
    expect(a).toEqual({
      questionId: 'a',
      text: 'Text a 2021',
      indicator: null,
      answers: 4,
      counts: { negative: 1, neutral: 1, positive: 2, clearlyPositive: 1, excluded: 1 },
      shares: { negative: 0.25, neutral: 0.25, positive: 0.5, clearlyPositive: 0.25 },
    });
    expect(b.answers).toBe(3);
    expect(b.counts).toEqual({ negative: 2, neutral: 0, positive: 1, clearlyPositive: 1, excluded: 1 });
    expect(b.shares).toEqual({ negative: 2 / 3, neutral: 0, positive: 1 / 3, clearlyPositive: 1 / 3 });
  });

  it('gives null shares to a question nobody answered, and a null response rate to no invited', () => {
    const [group] = surveyResult([{ ...round, invited: 0 }], catalogue(staff), []).groups;
    expect(group.responseRate).toBeNull();
    expect(group.questions[0].answers).toBe(0);
    expect(group.questions[0].shares).toEqual({
      negative: null,
      neutral: null,
      positive: null,
      clearlyPositive: null,
    });
  });

  it('compares a question with the year before only when it was asked then (previousYear null otherwise)', () => {
    const staff2020 = questionnaire('staff-2020', 2020, ['a']);
    const r2020: RoundFact = { id: 'r0', questionnaireId: 'staff-2020', invited: 8, interventionIds: ['i1'] };
    const previous = surveyResult([r2020], catalogue(staff2020), [
      { roundId: 'r0', answers: { a: '2' } },
      { roundId: 'r0', answers: { a: '5' } },
    ]);
    const [group] = withPreviousYear(surveyResult([round], catalogue(staff), responses), previous);
    expect(group.previousYear).toEqual({ invited: 8, responses: 2, responseRate: 0.25 });
    expect(group.questions[0].previousYear).toEqual({
      answers: 2,
      counts: { negative: 1, neutral: 0, positive: 1, clearlyPositive: 1, excluded: 0 },
      shares: { negative: 0.5, neutral: 0, positive: 0.5, clearlyPositive: 0.5 },
    });
    expect(group.questions[1].previousYear).toBeNull(); // b: asked in 2021, not in 2020
  });

  it('does not compare a reworded questionnaire (new question ids) with the year before', () => {
    const managers2020 = questionnaire('managers-2020', 2020, ['m20-x'], 'managers');
    const managers2021 = questionnaire('managers-2021', 2021, ['m21-x'], 'managers');
    const previous = surveyResult(
      [{ id: 'p', questionnaireId: 'managers-2020', invited: 5, interventionIds: [] }],
      catalogue(managers2020),
      [{ roundId: 'p', answers: { 'm20-x': '4' } }],
    );
    const current = surveyResult(
      [{ id: 'c', questionnaireId: 'managers-2021', invited: 5, interventionIds: [] }],
      catalogue(managers2021),
      [{ roundId: 'c', answers: { 'm21-x': '4' } }],
    );
    const [group] = withPreviousYear(current, previous);
    expect(group.previousYear).toEqual({ invited: 5, responses: 1, responseRate: 0.2 });
    expect(group.questions.map((q) => [q.questionId, q.previousYear])).toEqual([['m21-x', null]]);
  });

  it('sums two insatser’s rounds of the same questionnaire', () => {
    const rounds: RoundFact[] = [
      { id: 'x', questionnaireId: 'staff-2021', invited: 4, interventionIds: ['i1'] },
      { id: 'y', questionnaireId: 'staff-2021', invited: 6, interventionIds: ['i2'] },
    ];
    const [group] = surveyResult(rounds, catalogue(staff), [
      { roundId: 'x', answers: { a: '5' } },
      { roundId: 'x', answers: { a: '2' } },
      { roundId: 'y', answers: { a: '3' } },
      { roundId: 'y', answers: { a: '4', b: '0' } },
    ]).groups;
    expect(group).toMatchObject({ invited: 10, responses: 4, responseRate: 0.4 });
    expect(group.questions[0].counts).toEqual({
      negative: 1,
      neutral: 1,
      positive: 2,
      clearlyPositive: 1,
      excluded: 0,
    });
    expect(group.questions[1]).toMatchObject({ answers: 0, counts: { excluded: 1 } });
  });
});

describe('survey disclosure', () => {
  it('withholds a question with fewer than k answers from the board, also last year’s row', () => {
    expect(questionDisclosed(2, 3)).toBe(false);
    expect(questionDisclosed(3, 3)).toBe(true);
    const staff = questionnaire('s', 2021, ['a', 'b']);
    const rounds = [{ id: 'r', questionnaireId: 's', invited: 9, interventionIds: [] }];
    const responses: KeyedResponseFact[] = [
      { roundId: 'r', answers: { a: '5', b: '5' }, key: 1_000 },
      { roundId: 'r', answers: { a: '4', b: '0' }, key: 20_000 },
      { roundId: 'r', answers: { a: '3' }, key: 300_000 },
    ];
    const current = surveyResult(rounds, catalogue(staff), responses);
    const previousRounds = [{ id: 'p', questionnaireId: 's', invited: 9, interventionIds: [] }];
    const previousResponses = [{ roundId: 'p', answers: { a: '5' }, key: 7 }];
    const previous = surveyResult(previousRounds, catalogue(staff), previousResponses);
    const [group] = discloseSurveyGroups(withPreviousYear(current, previous), 3, {
      current: surveyKeys(rounds, catalogue(staff), responses),
      previous: surveyKeys(previousRounds, catalogue(staff), previousResponses),
    });
    // a: positive (clearly), positive, neutral: the cells' keys are the sums of their responses' keys.
    expect(group.questions[0]).toMatchObject({
      questionId: 'a',
      answers: publishCount(3, 321_000, 3),
      counts: {
        negative: 0,
        neutral: '<3',
        positive: '<3',
        clearlyPositive: '<3',
        excluded: 0,
      },
      // Shares from published counts only: "<3" gives none; no negative answer is a share of 0.
      shares: {
        negative: typeof publishCount(3, 321_000, 3) === 'number' ? 0 : null,
        neutral: null,
        positive: null,
        clearlyPositive: null,
      },
      previousYear: { withheld: true },
    });
    expect(group.questions[1]).toEqual({
      questionId: 'b',
      text: 'Text b 2021',
      indicator: null,
      withheld: true,
      answers: null,
      counts: null,
      shares: null,
      previousYear: { withheld: true }, // asked last year with 0 answers: withheld as well
    });
  });
});

/** The independent oracle: counts every answer by looking its polarity up, with nothing shared. */
function naive(questionnaires: Questionnaire[], rounds: RoundFact[], responses: ResponseFact[]) {
  const out: Record<string, Record<string, number>> = {};
  for (const r of responses) {
    const round = rounds.find((x) => x.id === r.roundId)!;
    const q = questionnaires.find((x) => x.id === round.questionnaireId)!;
    for (const question of q.questions) {
      const code = r.answers[question.id];
      if (code === undefined) continue;
      const polarity = EXTENT.find((o) => o.code === code)!.polarity as Polarity;
      const key = `${q.respondentGroup}/${question.id}`;
      out[key] ??= { negative: 0, neutral: 0, positive: 0, clearlyPositive: 0, excluded: 0 };
      if (polarity === 'clearly_positive') {
        out[key].positive++;
        out[key].clearlyPositive++;
      } else out[key][polarity]++;
    }
  }
  return out;
}

describe('surveyResult property', () => {
  it('equals a naive recount for random answer sets', () => {
    const qs = [questionnaire('s', 2021, ['a', 'b', 'c']), questionnaire('bd', 2021, ['a', 'd'], 'board')];
    const answer = fc.option(fc.constantFrom(...EXTENT.map((o) => o.code)), { nil: undefined });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ round: fc.constantFrom('r1', 'r2', 'r3'), a: answer, b: answer, c: answer, d: answer }),
          { maxLength: 60 },
        ),
        (raw) => {
          const rounds: RoundFact[] = [
            { id: 'r1', questionnaireId: 's', invited: 100, interventionIds: ['i1'] },
            { id: 'r2', questionnaireId: 's', invited: 50, interventionIds: ['i2'] },
            { id: 'r3', questionnaireId: 'bd', invited: 7, interventionIds: [] },
          ];
          const responses: ResponseFact[] = raw.map((x) => {
            const ids = x.round === 'r3' ? ['a', 'd'] : ['a', 'b', 'c'];
            const answers: Record<string, string> = {};
            for (const id of ids) {
              const v = x[id as 'a'];
              if (v !== undefined) answers[id] = v;
            }
            return { roundId: x.round, answers };
          });
          const result = surveyResult(rounds, catalogue(...qs), responses);
          const oracle = naive(qs, rounds, responses);
          for (const group of result.groups) {
            expect(group.responses).toBe(
              responses.filter((r) => (r.roundId === 'r3') === (group.respondentGroup === 'board')).length,
            );
            for (const q of group.questions) {
              const expected = oracle[`${group.respondentGroup}/${q.questionId}`] ?? {
                negative: 0,
                neutral: 0,
                positive: 0,
                clearlyPositive: 0,
                excluded: 0,
              };
              expect(q.counts).toEqual(expected);
              const n = expected.negative + expected.neutral + expected.positive;
              expect(q.answers).toBe(n);
              expect(q.shares.positive).toBe(n === 0 ? null : expected.positive / n);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('survey cell keys and the board view (property)', () => {
  const qs = [questionnaire('s', 2021, ['a', 'b'])];
  const rounds: RoundFact[] = [{ id: 'r1', questionnaireId: 's', invited: 100, interventionIds: [] }];
  const answer = fc.option(fc.constantFrom(...EXTENT.map((o) => o.code)), { nil: undefined });
  const responsesArb = fc.array(
    fc.record({ a: answer, b: answer, key: fc.integer({ min: 0, max: CELL_KEY_MODULUS - 1 }) }),
    { maxLength: 40 },
  );
  const toFacts = (raw: { a?: string; b?: string; key: number }[]): KeyedResponseFact[] =>
    raw.map((x) => ({
      roundId: 'r1',
      key: x.key,
      answers: Object.fromEntries(
        Object.entries({ a: x.a, b: x.b }).filter(([, v]) => v !== undefined),
      ) as Record<string, string>,
    }));

  it('stores, per answer cell, the sum modulo 2^48 of its responses’ keys', () => {
    fc.assert(
      fc.property(responsesArb, (raw) => {
        const responses = toFacts(raw);
        const keys = surveyKeys(rounds, catalogue(...qs), responses);
        for (const question of ['a', 'b']) {
          const expected = { negative: 0, neutral: 0, positive: 0, clearlyPositive: 0, excluded: 0 };
          let answered = false;
          for (const r of responses) {
            const code = r.answers[question];
            if (code === undefined) continue;
            answered = true;
            const polarity = EXTENT.find((o) => o.code === code)!.polarity;
            const add = (p: keyof typeof expected) =>
              (expected[p] = (expected[p] + r.key) % CELL_KEY_MODULUS);
            if (polarity === 'clearly_positive') {
              add('positive');
              add('clearlyPositive');
            } else add(polarity);
          }
          expect(keys.staff?.[question]).toEqual(answered ? expected : undefined);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('shows the board only counts the true counts can give, zero as 0, and withholds below k answers', () => {
    fc.assert(
      fc.property(responsesArb, fc.integer({ min: 2, max: 5 }), (raw, k) => {
        const responses = toFacts(raw);
        const result = surveyResult(rounds, catalogue(...qs), responses);
        const keys = surveyKeys(rounds, catalogue(...qs), responses);
        const [exact] = withPreviousYear(result, null);
        const [published] = discloseSurveyGroups([exact], k, { current: keys, previous: {} });
        for (const [i, q] of published.questions.entries()) {
          const truth = exact.questions[i];
          if (truth.answers < k) {
            expect(q).toMatchObject({ withheld: true, answers: null, counts: null });
            continue;
          }
          const cells: [number | string | null, number][] = [
            [q.answers, truth.answers],
            ...Object.entries(truth.counts).map(
              ([p, x]) => [(q.counts as Record<string, number | string>)[p], x] as [number | string, number],
            ),
          ];
          for (const [shown, x] of cells) {
            if (x === 0) expect(shown).toBe(0);
            else if (x < k) expect(shown).toBe(`<${k}`);
            else {
              const range = possibleTrueValues(shown as number | string, k);
              expect(range.min <= x && x <= (range.max ?? Infinity)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
