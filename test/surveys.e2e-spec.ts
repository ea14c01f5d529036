import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { SurveyRecomputeService } from '@app/surveys/survey-recompute.service';
import { possibleTrueValues, publishCount } from '@app/domain/disclosure-control-cell-key';
import { bearer, Fixtures } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

const STAFF_2021 = [
  'staff-time-needed',
  'staff-planning-after-exit',
  'staff-partners-listen',
  'staff-partners-know-contribution',
  'staff-participant-experience-used',
  'staff-routines-other-actors',
  'staff-relationship-structures',
  'staff-shared-view-of-resources',
  'staff-methods-work-together',
  'staff-equality-routines',
  'staff-equality-reflection-time',
];

const questionnaire = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  respondentGroup: 'managers',
  title: 'Chefsgrupper 2020',
  validFrom: 2020,
  scales: {
    extent: [
      { code: '1', label: 'Inte alls', polarity: 'negative' },
      { code: '3', label: 'Delvis', polarity: 'neutral' },
      { code: '5', label: 'Helt och hållet', polarity: 'clearly_positive' },
      { code: '0', label: 'Vet ej', polarity: 'excluded' },
    ],
  },
  questions: [{ id: `${id}-q1`, text: 'Tas erfarenheter från deltagare tillvara?', scale: 'extent' }],
  ...extra,
});

describe('indicator surveys', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let f: Fixtures;
  let associationId: string;
  let otherAssociationId: string;
  let a: string;
  let b: string;
  let evaluator: { token: string };
  let board: { token: string };
  let coordinatorA: { token: string };
  let coordinatorB: { token: string };
  let otherEvaluator: { token: string };

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
    associationId = (await f.association()).id;
    otherAssociationId = (await f.association()).id;
    a = (await f.intervention(associationId, { name: 'Insats A' })).id;
    b = (await f.intervention(associationId, { name: 'Insats B' })).id;
    evaluator = await f.user('evaluator', { associationIds: [associationId] });
    board = await f.user('board', { associationIds: [associationId] });
    coordinatorA = await f.user('coordinator', { interventionIds: [a] });
    coordinatorB = await f.user('coordinator', { interventionIds: [b] });
    otherEvaluator = await f.user('evaluator', { associationIds: [otherAssociationId] });
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const post = (path: string, token: string, body: unknown) =>
    t
      .http()
      .post(path)
      .set(bearer(token))
      .send(body as object);
  const round = async (body: Record<string, unknown>, token = evaluator.token) => {
    const res = await post('/api/v1/survey-rounds', token, { associationId, ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const count = async (sql: string, params: unknown[]) => Number((await t.db.query(sql, params))[0].n);
  const responsesOf = (roundId: string) =>
    count(`SELECT count(*) AS n FROM survey_response WHERE round_id = $1`, [roundId]);
  const upload = (roundId: string, content: Buffer | string, dryRun = false, name = 'svar.csv') =>
    t
      .http()
      .post(`/api/v1/survey-rounds/${roundId}/responses/import${dryRun ? '?dryRun=true' : ''}`)
      .set(bearer(evaluator.token))
      .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name);

  describe('questionnaires', () => {
    it('lists the shipped questionnaires to anyone signed in', async () => {
      const res = await t
        .http()
        .get('/api/v1/survey-questionnaires')
        .set(bearer(coordinatorA.token))
        .expect(200);
      const ids = res.body.map((q: { id: string }) => q.id);
      expect(ids).toEqual(
        expect.arrayContaining(['nns-staff-2020', 'nns-staff-2021', 'nns-board-2021', 'nns-managers-2021']),
      );
      const staff = res.body.find((q: { id: string }) => q.id === 'nns-staff-2021');
      expect(staff.questions.map((q: { id: string }) => q.id)).toEqual(STAFF_2021);
      expect(staff.source).toBe('config');
    });

    it('lets an admin load one (201), again with the same content (200), not other content under its id (409)', async () => {
      await post('/api/v1/survey-questionnaires', f.adminToken, questionnaire('managers-2020-test')).expect(
        201,
      );
      await post('/api/v1/survey-questionnaires', f.adminToken, questionnaire('managers-2020-test')).expect(
        200,
      );
      const res = await post(
        '/api/v1/survey-questionnaires',
        f.adminToken,
        questionnaire('managers-2020-test', { title: 'Omformulerad' }),
      ).expect(409);
      expect(res.body.message).toMatch(/exists with other content/);
      const audit = await count(
        `SELECT count(*) AS n FROM audit_log WHERE entity_type = 'survey_questionnaire' AND entity_id = 'managers-2020-test'`,
        [],
      );
      expect(audit).toBe(1);
    });

    it('rejects an invalid questionnaire with the JSON path of each problem, and non-admins', async () => {
      const bad = questionnaire('bad-one', { respondentGroup: 'patients' });
      (bad.questions[0] as Record<string, unknown>).scale = 'nope';
      const res = await post('/api/v1/survey-questionnaires', f.adminToken, bad).expect(400);
      expect(res.body.details).toEqual([
        { field: '$.respondentGroup', message: expect.stringMatching(/^must be one of/) },
        { field: '$.questions[0].scale', message: 'unknown scale "nope"; known: extent' },
      ]);
      await post('/api/v1/survey-questionnaires', evaluator.token, questionnaire('by-evaluator')).expect(403);
      const stored = await count(
        `SELECT count(*) AS n FROM survey_questionnaire WHERE id IN ('bad-one', 'by-evaluator')`,
        [],
      );
      expect(stored).toBe(0);
    });
  });

  describe('rounds', () => {
    it('validates the round and keeps it to the caller’s association', async () => {
      const base = { questionnaireId: 'nns-staff-2021', year: 2021, invited: 5 };
      const foreign = (await f.intervention(otherAssociationId)).id;
      let res = await post('/api/v1/survey-rounds', evaluator.token, {
        associationId,
        ...base,
        interventionIds: [a, foreign],
      });
      expect(res.status).toBe(403); // the other association's insats is outside the evaluator's scope
      res = await post('/api/v1/survey-rounds', f.adminToken, {
        associationId,
        ...base,
        interventionIds: [foreign],
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'interventionIds', message: `${foreign} is not an insats of the association` },
      ]);
      res = await post('/api/v1/survey-rounds', evaluator.token, {
        associationId,
        ...base,
        questionnaireId: 'nope',
      });
      expect(res.body.details).toEqual([
        { field: 'questionnaireId', message: 'is not in the questionnaire catalogue' },
      ]);
      res = await post('/api/v1/survey-rounds', evaluator.token, { associationId, ...base, year: 2020 });
      expect(res.body.details).toEqual([{ field: 'year', message: 'nns-staff-2021 is valid from 2021' }]);
      res = await post('/api/v1/survey-rounds', evaluator.token, { associationId, ...base, invited: 0 });
      expect(res.body.details).toEqual([{ field: 'invited', message: 'must be at least 1' }]);
      res = await post('/api/v1/survey-rounds', evaluator.token, {
        associationId,
        questionnaireId: 'example-participant-ongoing',
        year: 2021,
        invited: 5,
        interventionIds: [a, b],
      });
      expect(res.body.details).toEqual([
        { field: 'interventionIds', message: 'a participant questionnaire is for exactly one insats' },
      ]);
      await post('/api/v1/survey-rounds', otherEvaluator.token, { associationId, ...base }).expect(403);
      await post('/api/v1/survey-rounds', coordinatorA.token, {
        associationId,
        ...base,
        interventionIds: [a],
      }).expect(403);
      await post('/api/v1/survey-rounds', board.token, { associationId, ...base }).expect(403);
      expect(
        await count(`SELECT count(*) AS n FROM survey_round WHERE association_id = $1`, [associationId]),
      ).toBe(0);
    });

    it('lists rounds in scope only: a coordinator sees their own insats’s rounds, not another’s', async () => {
      const ra = await round({
        questionnaireId: 'nns-staff-2021',
        year: 2019 + 3,
        invited: 3,
        interventionIds: [a],
      });
      const list = (token: string) =>
        t
          .http()
          .get(`/api/v1/survey-rounds?associationId=${associationId}&year=2022`)
          .set(bearer(token))
          .expect(200);
      expect((await list(coordinatorA.token)).body.map((r: { id: string }) => r.id)).toEqual([ra.id]);
      expect((await list(coordinatorB.token)).body).toEqual([]);
      expect((await list(otherEvaluator.token)).body).toEqual([]);
      const [view] = (await list(evaluator.token)).body;
      expect(view).toMatchObject({
        invited: 3,
        responses: 0,
        respondentGroup: 'staff',
        interventionIds: [a],
      });
      await post(`/api/v1/survey-rounds/${ra.id}/responses`, otherEvaluator.token, {
        answers: { 'staff-time-needed': '5' },
      }).expect(403);
      await post(`/api/v1/survey-rounds/${ra.id}/responses`, coordinatorA.token, {
        answers: { 'staff-time-needed': '5' },
      }).expect(403);
    });
  });

  describe('answers entered by an evaluator', () => {
    it('rejects an unknown question, a value outside the scale, nothing answered, and more answers than invited', async () => {
      const r = await round({
        questionnaireId: 'nns-staff-2021',
        year: 2023,
        invited: 1,
        interventionIds: [a],
      });
      const respond = (answers: unknown) =>
        post(`/api/v1/survey-rounds/${r.id}/responses`, evaluator.token, { answers });
      let res = await respond({ 'no-such-question': '5', 'staff-time-needed': '9' });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'answers.no-such-question', message: 'is not a question of nns-staff-2021' },
        {
          field: 'answers.staff-time-needed',
          message: expect.stringMatching(/^"9" is not on the scale: 1 \(Inte alls\)/),
        },
      ]);
      expect((await respond({})).body.details).toEqual([
        { field: 'answers', message: 'at least one question must be answered' },
      ]);
      expect((await respond('x')).status).toBe(400);
      res = await respond({ 'staff-time-needed': 'Helt och hållet', 'staff-partners-listen': '' });
      expect(res.status).toBe(201);
      expect(res.body.answers).toEqual({ 'staff-time-needed': '5' });
      expect((await respond({ 'staff-time-needed': '4' })).status).toBe(409);
      expect(await responsesOf(r.id)).toBe(1);
    });
  });

  describe('import', () => {
    let r: { id: string };
    beforeAll(async () => {
      r = await round({ questionnaireId: 'nns-staff-2021', year: 2024, invited: 20, interventionIds: [b] });
    });

    it('reports every problem by row and column in a dry run and stores nothing, then refuses the file', async () => {
      const file = 'staff-time-needed;mystery\n5;4\n';
      let res = await upload(r.id, file, true).expect(200);
      expect(res.body).toMatchObject({ dryRun: true, valid: false, rows: 1 });
      expect(res.body.problems).toEqual([
        {
          row: 1,
          column: 'B',
          header: 'mystery',
          code: 'unknown_question',
          params: { questionnaire: 'nns-staff-2021' },
          message: expect.stringMatching(/is not a question/),
        },
      ]);
      res = await upload(r.id, 'staff-time-needed;staff-partners-listen\n5;7\n3;4;1\n').expect(400);
      expect(res.body.details).toEqual([
        {
          field: 'row 2, column B',
          message: expect.stringMatching(/^staff-partners-listen: "7" is not on the scale/),
        },
        { field: 'row 3, column C', message: 'has 3 columns; the header (row 1) has 2' },
      ]);
      res = await upload(r.id, '').expect(400);
      expect(res.body.details).toEqual([
        { field: 'row 1, column A', message: expect.stringMatching(/^the file is empty/) },
      ]);
      expect(await responsesOf(r.id)).toBe(0);
    });

    it('rejects a 10 MB file of garbage with a row and column and stores nothing', async () => {
      const garbage = Buffer.alloc(10 * 1024 * 1024);
      for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
      const res = await upload(r.id, garbage, false, 'svar.xlsx').expect(400);
      expect(res.body.details[0].field).toMatch(/^row \d+, column [A-Z]+$/);
      expect(await responsesOf(r.id)).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM survey_import WHERE round_id = $1`, [r.id])).toBe(0);
    });

    it('stores a valid file once, however often it is imported', async () => {
      const file =
        'Får stödet du ger till deltagarna ta den tid som behövs?;staff-partners-listen\n5;4\nDelvis;0\n1;\n';
      expect((await upload(r.id, file, true).expect(200)).body).toMatchObject({
        valid: true,
        rows: 3,
        problems: [],
      });
      expect(await responsesOf(r.id)).toBe(0);
      expect((await upload(r.id, file).expect(201)).body).toEqual({
        dryRun: false,
        imported: 3,
        alreadyImported: false,
      });
      expect((await upload(r.id, file).expect(200)).body).toEqual({
        dryRun: false,
        imported: 0,
        alreadyImported: true,
      });
      expect(await responsesOf(r.id)).toBe(3);
      const res = await t
        .http()
        .post(`/api/v1/survey-rounds/${r.id}/responses/import`)
        .set(bearer(evaluator.token))
        .expect(400);
      expect(res.body.details).toEqual([
        { field: 'file', message: expect.stringMatching(/file is required/) },
      ]);
    });
  });

  describe('the anonymous form', () => {
    it('works once; a used or unknown link gets a Swedish message; the answer row identifies no one', async () => {
      const r = await round({
        questionnaireId: 'example-participant-ongoing',
        year: 2024,
        invited: 3,
        interventionIds: [a],
      });
      const res = await post(`/api/v1/survey-rounds/${r.id}/links`, evaluator.token, { count: 2 }).expect(
        201,
      );
      expect(res.body.links).toHaveLength(2);
      const [link] = res.body.links as { token: string; path: string }[];
      expect(link.path).toBe(`/enkat/${link.token}`);
      // Only a hash is stored.
      expect(
        await count(`SELECT count(*) AS n FROM survey_link WHERE token_hash = convert_to($1, 'UTF8')`, [
          link.token,
        ]),
      ).toBe(0);
      await post(`/api/v1/survey-rounds/${r.id}/links`, evaluator.token, { count: 2 }).expect(409); // 2 open + 2 > 3 invited

      const page = await t.http().get(link.path).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.text).toMatch(/^<!doctype html><html lang="sv">/);
      expect(page.text).toContain('Enkäten gäller insatsen Insats A.');
      expect(page.text).toContain('<fieldset>');
      expect(page.text).toContain(
        '<legend>1. Har du fått vara med och bestämma om det stöd du får?</legend>',
      );
      expect(page.text).toMatch(
        /<label for="q-example-participant-time-needed-5"><input type="radio" id="q-example-participant-time-needed-5" name="q.example-participant-time-needed" value="5"\/> Helt och hållet<\/label>/,
      );

      const bad = await t
        .http()
        .post(link.path)
        .type('form')
        .send({ 'q.example-participant-time-needed': '9' })
        .expect(400);
      expect(bad.text).toContain('Välj ett av svarsalternativen.');
      const empty = await t.http().post(link.path).type('form').send({}).expect(400);
      expect(empty.text).toContain('Svara på minst en fråga innan du skickar.');

      const sent = await t
        .http()
        .post(link.path)
        .set('User-Agent', 'Identifying-Browser/1.0')
        .type('form')
        .send({ 'q.example-participant-time-needed': '5', 'q.example-participant-say-over-support': '3' })
        .expect(200);
      expect(sent.text).toContain('Tack för dina svar');
      const again = await t
        .http()
        .post(link.path)
        .type('form')
        .send({ 'q.example-participant-time-needed': '1' })
        .expect(410);
      expect(again.text).toContain('Den här länken har redan använts');
      expect((await t.http().get(link.path).expect(410)).text).toContain('Enkäten är redan besvarad');
      const unknown = await t.http().get('/enkat/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').expect(404);
      expect(unknown.text).toContain('Länken är ogiltig');
      expect((await t.http().get('/enkat/x').expect(404)).text).toContain('Länken är ogiltig');

      const rows = await t.db.query(`SELECT * FROM survey_response WHERE round_id = $1`, [r.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].answers).toEqual({
        'example-participant-time-needed': '5',
        'example-participant-say-over-support': '3',
      });
      // The answer row: no respondent, link, address, agent or time of day. Its disclosure key is a random
      // number drawn by the database (disclosure control's record key), derived from nothing about anyone.
      const columns = await t.db.query(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'survey_response' ORDER BY column_name`,
      );
      expect(columns).toEqual([
        { column_name: 'answered_on', data_type: 'date' },
        { column_name: 'answers', data_type: 'jsonb' },
        { column_name: 'disclosure_key', data_type: 'bigint' },
        { column_name: 'id', data_type: 'uuid' },
        { column_name: 'import_id', data_type: 'uuid' },
        { column_name: 'round_id', data_type: 'uuid' },
        { column_name: 'source', data_type: 'text' },
      ]);
      const linkColumns = await t.db.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'survey_link' ORDER BY column_name`,
      );
      expect(linkColumns.map((c: { column_name: string }) => c.column_name)).toEqual([
        'round_id',
        'token_hash',
        'used',
      ]);
      expect(
        JSON.stringify(await t.db.query(`SELECT * FROM audit_log WHERE entity_type = 'survey_response'`)),
      ).not.toContain('Identifying-Browser');
    });

    it('refuses a double submission atomically: of two simultaneous posts exactly one is stored', async () => {
      const r = await round({ questionnaireId: 'nns-board-2021', year: 2024, invited: 5 });
      const [link] = (
        await post(`/api/v1/survey-rounds/${r.id}/links`, evaluator.token, { count: 1 }).expect(201)
      ).body.links;
      const send = () => t.http().post(link.path).type('form').send({ 'q.board-evaluation-strategy': '4' });
      const results = await Promise.all([send(), send(), send()]);
      expect(results.map((x) => x.status).sort()).toEqual([200, 410, 410]);
      expect(await responsesOf(r.id)).toBe(1);
    });
  });

  describe('end to end: answers in, the worker aggregates, reports and the export show them', () => {
    let assoc: string;
    let x: string;
    let y: string;
    let evaluator2: { token: string };
    let board2: { token: string };
    const TIME_NEEDED = 'Får stödet du ger till deltagarna ta den tid som behövs?';

    beforeAll(async () => {
      assoc = (await f.association()).id;
      x = (await f.intervention(assoc, { name: 'Insats X' })).id;
      y = (await f.intervention(assoc, { name: 'Insats Y' })).id;
      evaluator2 = await f.user('evaluator', { associationIds: [assoc] });
      board2 = await f.user('board', { associationIds: [assoc] });
      const mk = async (body: Record<string, unknown>) =>
        (await post('/api/v1/survey-rounds', evaluator2.token, { associationId: assoc, ...body }).expect(201))
          .body.id;
      const enter = (roundId: string, answers: Record<string, string>) =>
        post(`/api/v1/survey-rounds/${roundId}/responses`, evaluator2.token, { answers }).expect(201);

      const x2020 = await mk({
        questionnaireId: 'nns-staff-2020',
        year: 2020,
        invited: 5,
        interventionIds: [x],
      });
      await enter(x2020, { 'staff-time-needed': '4' });
      await enter(x2020, { 'staff-time-needed': '2' });
      const x2021 = await mk({
        questionnaireId: 'nns-staff-2021',
        year: 2021,
        invited: 4,
        interventionIds: [x],
      });
      await enter(x2021, { 'staff-time-needed': '5', 'staff-equality-routines': '4' });
      await enter(x2021, { 'staff-time-needed': '3', 'staff-equality-routines': '0' });
      await enter(x2021, { 'staff-time-needed': '0', 'staff-planning-after-exit': '1' });
      const y2021 = await mk({
        questionnaireId: 'nns-staff-2021',
        year: 2021,
        invited: 6,
        interventionIds: [y],
      });
      await t
        .http()
        .post(`/api/v1/survey-rounds/${y2021}/responses/import`)
        .set(bearer(evaluator2.token))
        .attach('file', Buffer.from(`${TIME_NEEDED};staff-partners-listen\n5;\n1;\n`, 'utf8'), 'svar.csv')
        .expect(201);
      const board2021 = await mk({ questionnaireId: 'nns-board-2021', year: 2021, invited: 7 });
      const [link] = (await post(`/api/v1/survey-rounds/${board2021}/links`, evaluator2.token, { count: 1 }))
        .body.links;
      await t.http().post(link.path).type('form').send({ 'q.board-evaluation-strategy': '4' }).expect(200);
    });

    const fresh = async (path: string, token = evaluator2.token) =>
      (
        await eventually(
          () => t.http().get(path).set(bearer(token)),
          (res) => res.status === 200 && res.body.fresh && res.body.asOf !== null,
        )
      ).body;

    it('shows an insats’s shares cell by cell, with last year’s where the question was asked then', async () => {
      const body = await fresh(`/api/v1/reports/interventions/${x}/surveys?year=2021`);
      expect(body.scope).toEqual({ type: 'intervention', id: x, name: 'Insats X' });
      expect(body.year).toBe(2021);
      expect(body.groups).toHaveLength(1);
      const [staff] = body.groups;
      expect(staff).toMatchObject({
        respondentGroup: 'staff',
        invited: 4,
        responses: 3,
        responseRate: 0.75,
        previousYear: { invited: 5, responses: 2, responseRate: 0.4 },
      });
      expect(staff.questions.map((q: { questionId: string }) => q.questionId)).toEqual(STAFF_2021);
      const q = (id: string) => staff.questions.find((x: { questionId: string }) => x.questionId === id);
      expect(q('staff-time-needed')).toEqual({
        questionId: 'staff-time-needed',
        text: TIME_NEEDED,
        indicator: null,
        answers: 2,
        counts: { negative: 0, neutral: 1, positive: 1, clearlyPositive: 1, excluded: 1 },
        shares: { negative: 0, neutral: 0.5, positive: 0.5, clearlyPositive: 0.5 },
        previousYear: {
          answers: 2,
          counts: { negative: 1, neutral: 0, positive: 1, clearlyPositive: 0, excluded: 0 },
          shares: { negative: 0.5, neutral: 0, positive: 0.5, clearlyPositive: 0 },
        },
      });
      expect(q('staff-planning-after-exit')).toMatchObject({
        answers: 1,
        shares: { negative: 1, neutral: 0, positive: 0, clearlyPositive: 0 },
        previousYear: {
          answers: 0,
          shares: { negative: null, neutral: null, positive: null, clearlyPositive: null },
        },
      });
      // New in 2021: not asked in 2020, so nothing to compare with.
      expect(q('staff-equality-routines')).toMatchObject({
        answers: 1,
        counts: { positive: 1, excluded: 1 },
        previousYear: null,
      });
    });

    it('sums both insatser’s rounds and the association-wide board round at association level', async () => {
      const body = await fresh(`/api/v1/reports/associations/${assoc}/surveys?year=2021`);
      const [staff, boardGroup] = body.groups;
      expect(staff).toMatchObject({ respondentGroup: 'staff', invited: 10, responses: 5, responseRate: 0.5 });
      expect(staff.questions[0]).toMatchObject({
        questionId: 'staff-time-needed',
        answers: 4,
        counts: { negative: 1, neutral: 1, positive: 2, clearlyPositive: 2, excluded: 1 },
        shares: { negative: 0.25, neutral: 0.25, positive: 0.5, clearlyPositive: 0.5 },
      });
      expect(boardGroup).toMatchObject({
        respondentGroup: 'board',
        invited: 7,
        responses: 1,
        previousYear: null,
      });
      expect(boardGroup.responseRate).toBeCloseTo(1 / 7, 12);
      const strategy = boardGroup.questions.find(
        (q: { questionId: string }) => q.questionId === 'board-evaluation-strategy',
      );
      expect(strategy).toMatchObject({ answers: 1, counts: { positive: 1, clearlyPositive: 0 } });
      // Insats Y sees only its own round.
      const yBody = await fresh(`/api/v1/reports/interventions/${y}/surveys?year=2021`);
      expect(yBody.groups[0]).toMatchObject({ invited: 6, responses: 2, previousYear: null });
    });

    it('gives the board no survey figures from a result stored without cell keys, until it is recomputed', async () => {
      const url = `/api/v1/reports/associations/${assoc}/surveys?year=2021`;
      const before = await fresh(url, board2.token);
      await t.db.query(
        `UPDATE survey_result SET body = body - 'keys' WHERE scope_type = 'association' AND scope_id = $1 AND year = 2021`,
        [assoc],
      );
      await t.http().get(url).set(bearer(board2.token)).expect(503);
      await t.http().get(url).set(bearer(evaluator2.token)).expect(200);
      await t.db.query(
        `INSERT INTO survey_dirty (association_id, year) VALUES ($1, 2021) ON CONFLICT DO NOTHING`,
        [assoc],
      );
      await worker.get(SurveyRecomputeService).recompute(assoc, 2021);
      expect({ ...(await fresh(url, board2.token)), asOf: null }).toEqual({ ...before, asOf: null });
    });

    it('gives the board a question’s figures only with at least k answers; evaluators see all', async () => {
      const body = await fresh(`/api/v1/reports/associations/${assoc}/surveys?year=2021`, board2.token);
      expect(body.disclosureControl).toEqual({ threshold: 3 });
      const [staff, boardGroup] = body.groups;
      // A question shown is published by the cell-key method: every count is one its true count can give
      // (0 stays 0, 1 … k−1 is "<3"), shares come from the published counts, and a second read is identical.
      const exact = await fresh(`/api/v1/reports/associations/${assoc}/surveys?year=2021`);
      const exactTime = exact.groups[0].questions[0];
      expect(exactTime).toMatchObject({ questionId: 'staff-time-needed', answers: 4 });
      const time = staff.questions[0];
      expect(time.questionId).toBe('staff-time-needed');
      const cells: [unknown, number][] = [
        [time.answers, exactTime.answers],
        ...Object.entries(exactTime.counts as Record<string, number>).map(
          ([p, x]) => [time.counts[p], x] as [unknown, number],
        ),
      ];
      for (const [shown, x] of cells) {
        if (x === 0) expect(shown).toBe(0);
        else if (x < 3) expect(shown).toBe('<3');
        else {
          const range = possibleTrueValues(shown as number | string, 3);
          expect(range.min <= x && x <= (range.max ?? Infinity)).toBe(true);
        }
      }
      if (typeof time.answers === 'number' && typeof time.counts.positive === 'number')
        expect(time.shares.positive).toBe(Math.min(1, time.counts.positive / time.answers));
      else expect(time.shares.positive).toBeNull();
      expect(await fresh(`/api/v1/reports/associations/${assoc}/surveys?year=2021`, board2.token)).toEqual(
        body,
      );
      // The keys were stored with the counts: every response answering the question is in exactly one of the
      // cells negative, neutral, positive, excluded, so their keys add up to the sum of its record keys.
      const [stored] = await t.db.query(
        `SELECT body->'keys'->'staff'->'staff-time-needed' AS k,
                (SELECT sum(sr.disclosure_key) % 281474976710656 FROM survey_response sr
                   JOIN survey_round r ON r.id = sr.round_id
                  WHERE r.association_id = $1 AND r.year = 2021
                    AND COALESCE(sr.answers->>'staff-time-needed', '') <> '')::float8 AS expected
           FROM survey_result WHERE scope_type = 'association' AND scope_id = $1 AND year = 2021`,
        [assoc],
      );
      const k = stored.k as Record<string, number>;
      expect((k.negative + k.neutral + k.positive + k.excluded) % 2 ** 48).toBe(stored.expected);
      expect(time.answers).toBe(publishCount(4, (k.negative + k.neutral + k.positive) % 2 ** 48, 3));
      const planning = staff.questions.find(
        (q: { questionId: string }) => q.questionId === 'staff-planning-after-exit',
      );
      expect(planning).toMatchObject({ withheld: true, answers: null, counts: null, shares: null });
      expect(boardGroup.questions.every((q: { withheld?: boolean }) => q.withheld)).toBe(true);
      expect(JSON.stringify(body)).not.toMatch(/"answers":[12],/);
      await t
        .http()
        .get(`/api/v1/reports/associations/${assoc}/surveys?year=2021`)
        .set(bearer(coordinatorA.token))
        .expect(403);
      await t
        .http()
        .get(`/api/v1/reports/interventions/${x}/surveys?year=2021`)
        .set(bearer(otherEvaluator.token))
        .expect(403);
      const bad = await t
        .http()
        .get(`/api/v1/reports/interventions/${x}/surveys?year=21`)
        .set(bearer(evaluator2.token))
        .expect(400);
      expect(bad.body.details).toEqual([{ field: 'year', message: 'must be a year such as 2021' }]);
    });

    it('puts an "Indikatorenkäter" sheet in the XLSX export that reads like the published table', async () => {
      await fresh(`/api/v1/reports/associations/${assoc}/surveys?year=2021`);
      const res = await t
        .http()
        .get(`/api/v1/reports/associations/${assoc}/export?period=2021&format=xlsx`)
        .set(bearer(evaluator2.token))
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.body);
      const sheet = book.getWorksheet('Indikatorenkäter')!;
      expect(sheet).toBeDefined();
      const row = (n: number) => Array.from((sheet.getRow(n).values as unknown[]).slice(1), (v) => v ?? null);
      expect(row(1)).toEqual([
        'Respondentgrupp',
        'Fråga',
        'År',
        'Negativt',
        'Varken eller',
        'Positivt',
        '(Klart positivt)',
        'Antal svar',
        'Inbjudna',
        'Svar',
        'Svarsfrekvens',
      ]);
      expect(row(2)).toEqual(['Personal i insatserna', '', 2021, null, null, null, null, null, 10, 5, 0.5]);
      expect(row(3)).toEqual(['', '', 2020, null, null, null, null, null, 5, 2, 0.4]);
      expect(row(4)).toEqual(['', TIME_NEEDED, 2021, 0.25, 0.25, 0.5, 0.5, 4]);
      expect(row(5)).toEqual(['', '', 2020, 0.5, 0, 0.5, 0, 2]);
      expect(sheet.getRow(4).getCell(4).numFmt).toBe('0.0%');
      const boardRow = (sheet.getSheetValues() as unknown[][]).findIndex((v) => v?.[1] === 'Styrelsen');
      expect(row(boardRow).slice(8)).toEqual([7, 1, 1 / 7]);
    });
  });
});
