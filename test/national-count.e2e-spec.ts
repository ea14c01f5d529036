import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { bearer, Fixtures, unique, validEnrolment } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

import type { Response } from 'superagent';

const binary = (res: Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('national count', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let f: Fixtures;
  let associationId: string;
  let a: string;
  let b: string;
  let evaluator: string;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
    associationId = (await f.association({ name: unique('Förbund') })).id;
    a = (await f.intervention(associationId, { name: 'A Unga', startsOn: '2023-01-01' })).id;
    b = (await f.intervention(associationId, { name: 'B Vuxna', startsOn: '2024-01-01' })).id;
    await f.intervention(associationId, { name: 'C Struktur', startsOn: '2023-01-01', kind: 'structural' });
    evaluator = (await f.user('evaluator', { associationIds: [associationId] })).token;
    const enrol = async (interventionId: string, gender: string, startedOn: string, exitedOn?: string) => {
      const e = await f.enrol(f.adminToken, interventionId, validEnrolment({ gender, startedOn }));
      if (exitedOn) {
        await t
          .http()
          .post(`/api/v1/enrolments/${e.id}/exit`)
          .set(bearer(f.adminToken))
          .send({ exitedOn, exitReason: 'work' })
          .expect(200);
      }
    };
    // A: a woman from 2023 still open (participant, not new); a man new and exited in 2024; an unspecified
    // new in 2024; a woman who left in 2023 (not counted); a woman starting 2025 (not counted).
    await enrol(a, 'woman', '2023-05-01');
    await enrol(a, 'man', '2024-02-01', '2024-06-01');
    await enrol(a, 'unspecified', '2024-03-01');
    await enrol(a, 'woman', '2023-02-01', '2023-12-31');
    await enrol(a, 'woman', '2025-01-10');
    // B: a man on its first day and a woman on the last day of 2024, both new.
    await enrol(b, 'man', '2024-01-01');
    await enrol(b, 'woman', '2024-12-31');
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const get = (query: string, token = evaluator) =>
    t.http().get(`/api/v1/reports/associations/${associationId}/national-count?${query}`).set(bearer(token));

  // Worked out by hand from the rows above.
  const A = {
    participants: { woman: 1, man: 1, unspecified: 1, total: 3 },
    newParticipants: { woman: 0, man: 1, unspecified: 1, total: 2 },
  };
  const B = {
    participants: { woman: 1, man: 1, unspecified: 0, total: 2 },
    newParticipants: { woman: 1, man: 1, unspecified: 0, total: 2 },
  };
  const TOTAL = {
    participants: { woman: 2, man: 2, unspecified: 1, total: 5 },
    newParticipants: { woman: 1, man: 2, unspecified: 1, total: 4 },
  };

  it('counts participants and new participants by gender per individual-oriented insats and in total', async () => {
    const res = await eventually(
      () => get('year=2024'),
      (r) => r.status === 200 && r.body.fresh === true,
    );
    expect(res.body).toMatchObject({
      association: { id: associationId },
      year: 2024,
      fresh: true,
      asOf: expect.any(String),
      interventions: [
        { id: a, name: 'A Unga', ...A },
        { id: b, name: 'B Vuxna', ...B },
      ],
      total: TOTAL,
    });
    // The structural insats is not part of the national count.
    expect(res.body.interventions).toHaveLength(2);
  });

  it('writes the form as CSV (UTF-8 BOM, ";") and XLSX with the same numbers', async () => {
    const csv = await get('year=2024&format=csv').buffer(true).parse(binary).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const body = csv.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^Samordningsförbund;/);
    expect(lines[1]).toBe('År;2024');
    expect(lines[3]).toBe(
      'Insats;Antal deltagare – Kvinnor;Antal deltagare – Män;Antal deltagare – Ej angett;Antal deltagare – Totalt;' +
        'Varav nya deltagare – Kvinnor;Varav nya deltagare – Män;Varav nya deltagare – Ej angett;Varav nya deltagare – Totalt',
    );
    expect(lines.slice(4)).toEqual([
      'A Unga;1;1;1;3;0;1;1;2',
      'B Vuxna;1;1;0;2;1;1;0;2',
      'Totalt;2;2;1;5;1;2;1;4',
    ]);

    const xlsx = await get('year=2024&format=xlsx').buffer(true).parse(binary).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as Buffer);
    const sheet = book.getWorksheet('Nationell uppföljning')!;
    const values: unknown[][] = [];
    sheet.eachRow((r) => values.push((r.values as unknown[]).slice(1)));
    expect(values.slice(-3)).toEqual([
      ['A Unga', 1, 1, 1, 3, 0, 1, 1, 2],
      ['B Vuxna', 1, 1, 0, 2, 1, 1, 0, 2],
      ['Totalt', 2, 2, 1, 5, 1, 2, 1, 4],
    ]);
  });

  it('counts from the rows where no result is stored yet, with the same definitions', async () => {
    await t.db.query(`DELETE FROM period_result WHERE scope_id = $1 AND period_code = '2024'`, [a]);
    const res = await get('year=2024').expect(200);
    expect(res.body.interventions[0]).toMatchObject(A);
    expect(res.body.total).toEqual(TOTAL);
  });

  it('is for evaluators and admins of the association only', async () => {
    const board = (await f.user('board', { associationIds: [associationId] })).token;
    const coordinator = (await f.user('coordinator', { interventionIds: [a] })).token;
    await get('year=2024', board).expect(403);
    await get('year=2024', coordinator).expect(403);
    const other = (await f.user('evaluator', { associationIds: [(await f.association()).id] })).token;
    await get('year=2024', other).expect(403);
    await get('year=24').expect(400);
    await get('year=2024&format=pdf').expect(400);
    await get('year=2024&extra=1').expect(400);
  });
});

describe('data quality', () => {
  let t: TestApp;
  let f: Fixtures;
  let associationId: string;
  let a: string;
  let b: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
    associationId = (await f.association()).id;
    a = (await f.intervention(associationId, { name: 'A', startsOn: '2023-01-01' })).id;
    b = (await f.intervention(associationId, { name: 'B', startsOn: '2023-01-01' })).id;
  });
  afterAll(() => t.close());

  const check = (body: { checks: { code: string }[] }, code: string) =>
    body.checks.find((c) => c.code === code) as unknown as {
      count: number;
      severity: string;
      items: Record<string, unknown>[];
    };

  it('finds long-open enrolments, exits without income support, missing goals, code variants and idle insatser', async () => {
    const longOpen = await f.enrol(
      f.adminToken,
      a,
      validEnrolment({ participantCode: 'LANG-1', startedOn: '2023-03-01' }),
    );
    await f.enrol(f.adminToken, a, validEnrolment({ participantCode: 'NY-1', startedOn: '2026-06-01' }));
    const exited = await f.enrol(
      f.adminToken,
      a,
      validEnrolment({ participantCode: 'UNG-17', startedOn: '2025-01-01' }),
    );
    await t
      .http()
      .post(`/api/v1/enrolments/${exited.id}/exit`)
      .set(bearer(f.adminToken))
      .send({ exitedOn: '2025-05-01', exitReason: 'work' })
      .expect(200);
    await f.enrol(f.adminToken, b, validEnrolment({ participantCode: 'ung 17', startedOn: '2025-02-01' }));
    await f.enrol(f.adminToken, a, validEnrolment({ participantCode: 'ung17', startedOn: '2025-03-01' }));
    const year = Number(new Date().toISOString().slice(0, 4));
    await t
      .http()
      .put(`/api/v1/interventions/${a}/goals/${year}`)
      .set(bearer(f.adminToken))
      .send({ participants: 10 })
      .expect(200);
    // B has registered nothing for a year.
    await t.db.query(`UPDATE intervention SET created_at = now() - interval '2 years' WHERE id = $1`, [b]);
    await t.db.query(
      `UPDATE enrolment SET created_at = now() - interval '1 year', updated_at = now() - interval '1 year' WHERE intervention_id = $1`,
      [b],
    );

    const evaluator = (await f.user('evaluator', { associationIds: [associationId] })).token;
    const res = await t
      .http()
      .get(`/api/v1/data-quality/associations/${associationId}`)
      .set(bearer(evaluator))
      .expect(200);
    expect(check(res.body, 'open_too_long')).toMatchObject({
      severity: 'warning',
      count: 1,
      items: [
        expect.objectContaining({
          enrolmentId: longOpen.id,
          participantCode: 'LANG-1',
          startedOn: '2023-03-01',
        }),
      ],
    });
    expect(check(res.body, 'exit_without_income_support')).toMatchObject({
      count: 1,
      items: [expect.objectContaining({ enrolmentId: exited.id, exitedOn: '2025-05-01' })],
    });
    expect(check(res.body, 'missing_goals')).toMatchObject({
      count: 1,
      items: [expect.objectContaining({ interventionId: b, year })],
    });
    expect(check(res.body, 'similar_participant_codes')).toMatchObject({
      count: 1,
      items: [{ normalised: 'ung17', participantCodes: ['UNG-17', 'ung 17', 'ung17'] }],
    });
    expect(check(res.body, 'inactive_intervention')).toMatchObject({
      severity: 'info',
      count: 1,
      items: [expect.objectContaining({ interventionId: b })],
    });

    // A coordinator of A sees A only: not B's idle state, nor the code only B holds.
    const coordinator = (await f.user('coordinator', { interventionIds: [a] })).token;
    const own = await t
      .http()
      .get(`/api/v1/data-quality/associations/${associationId}`)
      .set(bearer(coordinator))
      .expect(200);
    expect(check(own.body, 'inactive_intervention').count).toBe(0);
    expect(check(own.body, 'missing_goals').count).toBe(0);
    expect(check(own.body, 'similar_participant_codes').items).toEqual([
      { normalised: 'ung17', participantCodes: ['UNG-17', 'ung17'] },
    ]);
    expect(JSON.stringify(own.body)).not.toContain('ung 17');

    const board = (await f.user('board', { associationIds: [associationId] })).token;
    await t.http().get(`/api/v1/data-quality/associations/${associationId}`).set(bearer(board)).expect(403);
    const stranger = (await f.user('evaluator', { associationIds: [(await f.association()).id] })).token;
    await t
      .http()
      .get(`/api/v1/data-quality/associations/${associationId}`)
      .set(bearer(stranger))
      .expect(403);
  });
});
