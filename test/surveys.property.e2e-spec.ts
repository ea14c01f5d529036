import type { INestApplicationContext } from '@nestjs/common';
import fc from 'fast-check';
import { Fixtures } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

// Stored survey results equal a naive recount of random answer sets. The rows are written straight into the
// database and marked dirty without any trigger, so the worker's sweep has to find them (a lost trigger).

const CODES = ['1', '2', '3', '4', '5', '0'];
const POLARITY: Record<string, string> = {
  '1': 'negative',
  '2': 'negative',
  '3': 'neutral',
  '4': 'positive',
  '5': 'clearly_positive',
  '0': 'excluded',
};

interface Generated {
  questionnaireId: 'nns-staff-2021' | 'nns-board-2021';
  interventions: boolean[];
  invited: number;
  responses: Record<string, string>[];
}

describe('stored survey results (property)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let f: Fixtures;
  let questions: Record<string, { group: string; ids: string[] }>;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
    const rows = await t.db.query(
      `SELECT id, respondent_group, definition FROM survey_questionnaire WHERE id IN ('nns-staff-2021', 'nns-board-2021')`,
    );
    questions = Object.fromEntries(
      rows.map((r: { id: string; respondent_group: string; definition: { questions: { id: string }[] } }) => [
        r.id,
        { group: r.respondent_group, ids: r.definition.questions.map((q) => q.id) },
      ]),
    );
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  function naive(rounds: (Generated & { id: string })[], scope: (r: Generated) => boolean) {
    const groups: Record<
      string,
      { invited: number; responses: number; q: Record<string, Record<string, number>> }
    > = {};
    for (const round of rounds.filter(scope)) {
      const { group, ids } = questions[round.questionnaireId];
      const g = (groups[group] ??= { invited: 0, responses: 0, q: {} });
      g.invited += round.invited;
      for (const id of ids)
        g.q[id] ??= { negative: 0, neutral: 0, positive: 0, clearlyPositive: 0, excluded: 0 };
      for (const response of round.responses) {
        g.responses += 1;
        for (const [id, code] of Object.entries(response)) {
          const p = POLARITY[code];
          if (p === 'clearly_positive') {
            g.q[id].positive += 1;
            g.q[id].clearlyPositive += 1;
          } else g.q[id][p] += 1;
        }
      }
    }
    return groups;
  }

  function compare(stored: { groups: any[] } | undefined, expected: ReturnType<typeof naive>) {
    const groups = stored?.groups ?? [];
    expect(groups.map((g) => g.respondentGroup).sort()).toEqual(Object.keys(expected).sort());
    for (const g of groups) {
      const e = expected[g.respondentGroup];
      expect(g.invited).toBe(e.invited);
      expect(g.responses).toBe(e.responses);
      expect(g.responseRate).toBeCloseTo(e.responses / e.invited, 12);
      for (const q of g.questions) {
        const c = e.q[q.questionId];
        expect(q.counts).toEqual(c);
        const n = c.negative + c.neutral + c.positive;
        expect(q.answers).toBe(n);
        for (const k of ['negative', 'neutral', 'positive', 'clearlyPositive'])
          if (n === 0) expect(q.shares[k]).toBeNull();
          else expect(q.shares[k]).toBeCloseTo(c[k] / n, 12);
      }
    }
  }

  it('equals a naive recount for random rounds and answers', async () => {
    const answerSet = (ids: string[]) =>
      fc.array(
        fc
          .array(fc.option(fc.constantFrom(...CODES), { nil: undefined }), {
            minLength: ids.length,
            maxLength: ids.length,
          })
          .map((codes) =>
            Object.fromEntries(ids.flatMap((id, i) => (codes[i] === undefined ? [] : [[id, codes[i]!]]))),
          ),
        { maxLength: 12 },
      );
    const round = fc
      .record({
        questionnaireId: fc.constantFrom('nns-staff-2021' as const, 'nns-board-2021' as const),
        interventions: fc.tuple(fc.boolean(), fc.boolean()),
        invited: fc.integer({ min: 12, max: 40 }),
      })
      .chain((r) =>
        answerSet(questions[r.questionnaireId].ids).map((responses) => ({ ...r, responses }) as Generated),
      );

    await fc.assert(
      fc.asyncProperty(fc.array(round, { minLength: 1, maxLength: 4 }), async (generated) => {
        const associationId = (await f.association()).id;
        const ids = [(await f.intervention(associationId)).id, (await f.intervention(associationId)).id];
        const rounds: (Generated & { id: string })[] = [];
        await t.db.transaction(async (tx) => {
          for (const g of generated) {
            const [{ id }] = await tx.query(
              `INSERT INTO survey_round (association_id, questionnaire_id, year, invited) VALUES ($1, $2, 2021, $3) RETURNING id`,
              [associationId, g.questionnaireId, g.invited],
            );
            const chosen = ids.filter((_, i) => g.interventions[i]);
            if (chosen.length)
              await tx.query(`INSERT INTO survey_round_intervention SELECT $1, unnest($2::uuid[])`, [
                id,
                chosen,
              ]);
            for (const answers of g.responses)
              await tx.query(
                `INSERT INTO survey_response (round_id, source, answered_on, answers) VALUES ($1, 'entered', '2021-05-01', $2)`,
                [id, JSON.stringify(answers)],
              );
            rounds.push({ ...g, id });
          }
          await tx.query(`INSERT INTO survey_dirty (association_id, year) VALUES ($1, 2021)`, [
            associationId,
          ]);
        });
        await eventually(
          () => t.db.query(`SELECT 1 FROM survey_dirty WHERE association_id = $1`, [associationId]),
          (rows) => rows.length === 0,
          30_000,
        );
        const stored = async (type: string, id: string) =>
          (
            await t.db.query(
              `SELECT body FROM survey_result WHERE scope_type = $1 AND scope_id = $2 AND year = 2021`,
              [type, id],
            )
          )[0]?.body;
        compare(
          await stored('association', associationId),
          naive(rounds, () => true),
        );
        for (const [i, id] of ids.entries())
          compare(
            await stored('intervention', id),
            naive(rounds, (r) => r.interventions[i]),
          );
      }),
      { numRuns: 8 },
    );
  });
});
