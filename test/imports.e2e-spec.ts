import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { IMPORT_PROBLEM_CODES } from '@app/domain';
import { bearer, Fixtures, unique } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

/**
 * Bulk import through the real API and the real worker: the dry run (every problem by row and column,
 * nothing stored), the all-or-nothing commit, re-imports, encodings and formats, scope and size limits.
 */
const HEADER = [
  'Deltagarkod',
  'Insats',
  'Startdatum',
  'Anvisande part',
  'Kön',
  'Ålder',
  'Kommun',
  'Utbildning',
  'Försörjning vid start',
  'Slutdatum',
  'Avslutsorsak',
  'Försörjning vid avslut',
];

describe('imports', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let f: Fixtures;
  let associationId: string;
  let a: { id: string; name: string };
  let b: { id: string; name: string };
  let structural: { id: string; name: string };
  let coordinator: { id: string; token: string };
  let evaluator: { id: string; token: string };
  let board: { token: string };

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
    associationId = (await f.association()).id;
    const make = async (name: string, extra: Record<string, unknown> = {}) => {
      const i = await f.intervention(associationId, { name, startsOn: '2023-01-01', ...extra });
      return { id: i.id, name };
    };
    a = await make(unique('Unga till arbete'));
    b = await make(unique('Vuxenteamet'), { endsOn: '2025-06-30' });
    structural = await make(unique('Strukturprojektet'), { kind: 'structural' });
    coordinator = await f.user('coordinator', { interventionIds: [a.id] });
    evaluator = await f.user('evaluator', { associationIds: [associationId] });
    board = await f.user('board', { associationIds: [associationId] });
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const csv = (rows: string[][], sep = ';') =>
    [HEADER, ...rows].map((r) => r.join(sep)).join('\r\n') + '\r\n';
  const row = (code: string, o: Partial<Record<(typeof HEADER)[number], string>> = {}): string[] => {
    const base: Record<string, string> = {
      Deltagarkod: code,
      Insats: a.name,
      Startdatum: '2024-03-01',
      'Anvisande part': 'Försäkringskassan',
      Kön: 'Kvinna',
      Ålder: '23',
      Kommun: 'Haninge',
      Utbildning: 'Gymnasium',
      'Försörjning vid start': 'Försörjningsstöd/ekonomiskt bistånd',
      Slutdatum: '',
      Avslutsorsak: '',
      'Försörjning vid avslut': '',
      ...o,
    };
    return HEADER.map((h) => base[h]);
  };

  const upload = (body: Buffer | string, token = coordinator.token, filename = 'deltagare.csv') =>
    t
      .http()
      .post('/api/v1/imports')
      .set(bearer(token))
      .field('associationId', associationId)
      .attach('file', Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), filename);

  const settled = (id: string, token = coordinator.token, until = ['validated', 'done', 'failed']) =>
    eventually(
      () => t.http().get(`/api/v1/imports/${id}`).set(bearer(token)),
      (res) => until.includes(res.body.status),
      30_000,
    ).then((res) => res.body);

  const validate = async (body: Buffer | string, token = coordinator.token, filename?: string) => {
    const res = await upload(body, token, filename).expect(202);
    expect(res.body).toMatchObject({ id: expect.any(String), status: 'validating' });
    return settled(res.body.id, token);
  };

  const commit = async (id: string, token = coordinator.token) => {
    await t.http().post(`/api/v1/imports/${id}/commit`).set(bearer(token)).expect(202);
    return settled(id, token, ['done', 'failed']);
  };

  const enrolmentCount = async () =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n FROM enrolment e JOIN intervention i ON i.id = e.intervention_id WHERE i.association_id = $1`,
        [associationId],
      )
    )[0].n as number;

  it('validates as a dry run, commits every row, marks reports dirty, and a second import of the same file changes nothing', async () => {
    const codes = [unique('IMP'), unique('IMP'), unique('IMP')];
    // Age in years, or as a band (the man): both columns, one value per row.
    const lines = [
      [...HEADER, 'Åldersgrupp'],
      [...row(codes[0]), ''],
      [
        ...row(codes[1], {
          Kön: 'man',
          Ålder: '',
          Startdatum: '2024-05-02',
          Kommun: '0192',
          'Anvisande part': 'employment_service',
          Slutdatum: '2024-10-01',
          Avslutsorsak: 'Arbete',
          'Försörjning vid avslut': 'Lön',
        }),
        '25–29 år',
      ],
      [...row(codes[2], { Kön: 'Ej angett', Insats: b.name, Kommun: 'Nynäshamns kommun', Ålder: '40' }), ''],
    ].map((r) => r.join(';'));
    const before = await enrolmentCount();
    const validated = await validate(lines.join('\r\n'), evaluator.token);
    expect(validated).toMatchObject({
      status: 'validated',
      problems: [],
      problemCount: 0,
      progress: { rows: 3, processed: 3 },
      summary: { created: 3, exited: 0, unchanged: 0 },
    });
    expect(await enrolmentCount()).toBe(before); // a dry run stores nothing

    const done = await commit(validated.id, evaluator.token);
    expect(done).toMatchObject({ status: 'done', summary: { created: 3, exited: 0, unchanged: 0 } });
    const stored = await t.db.query(
      `SELECT p.code, e.gender, e.age_band, e.municipality_code::text AS m, e.referring_party, e.exit_reason,
              e.income_support_at_exit, e.exited_on::text AS x
         FROM enrolment e JOIN participant p ON p.id = e.participant_id WHERE p.code = ANY($1) ORDER BY p.code`,
      [codes],
    );
    const byCode = Object.fromEntries(stored.map((r: { code: string }) => [r.code, r]));
    expect(byCode[codes[0]]).toMatchObject({
      gender: 'woman',
      age_band: '21-24',
      m: '0136',
      referring_party: 'social_insurance',
      x: null,
    });
    expect(byCode[codes[1]]).toMatchObject({
      gender: 'man',
      age_band: '25-29',
      m: '0192',
      exit_reason: 'work',
      income_support_at_exit: ['salary'],
      x: '2024-10-01',
    });
    expect(byCode[codes[2]]).toMatchObject({ gender: 'unspecified', age_band: '40-49', m: '0192' });

    // One audit row with counts, no participant codes.
    const [audit] = await t.db.query(
      `SELECT action, details FROM audit_log WHERE entity_type = 'import' AND entity_id = $1`,
      [validated.id],
    );
    expect(audit).toMatchObject({ action: 'import', details: { created: 3, exited: 0, unchanged: 0 } });
    expect(JSON.stringify(audit.details)).not.toContain(codes[0]);
    // The file is not kept once the import is done.
    const [job] = await t.db.query(`SELECT file IS NULL AS gone FROM import_job WHERE id = $1`, [
      validated.id,
    ]);
    expect(job.gone).toBe(true);

    // Reports are fresh shortly after: the worker recomputed the marked years.
    const report = await eventually(
      () => t.http().get(`/api/v1/reports/interventions/${a.id}?period=2024`).set(bearer(evaluator.token)),
      (res) => res.status === 200 && res.body.fresh === true && res.body.new.total === 2,
    );
    expect(report.body.exited.total).toBe(1);

    const again = await validate(lines.join('\r\n'), evaluator.token);
    expect(again.summary).toEqual({ created: 0, exited: 0, unchanged: 3 });
    const count = await enrolmentCount();
    expect(await commit(again.id, evaluator.token)).toMatchObject({
      status: 'done',
      summary: { created: 0, exited: 0, unchanged: 3 },
    });
    expect(await enrolmentCount()).toBe(count);
  });

  it('records the exit when a later file adds it to an open enrolment', async () => {
    const code = unique('EXIT');
    const first = await validate(csv([row(code)]));
    await commit(first.id);
    const later = await validate(
      csv([
        row(code, {
          Slutdatum: '2024-09-30',
          Avslutsorsak: 'studies',
          'Försörjning vid avslut': 'Studiemedel',
        }),
      ]),
    );
    expect(later.summary).toEqual({ created: 0, exited: 1, unchanged: 0 });
    expect(await commit(later.id)).toMatchObject({ status: 'done', summary: { exited: 1 } });
    const res = await t
      .http()
      .get(`/api/v1/interventions/${a.id}/enrolments?participantCode=${code}`)
      .set(bearer(coordinator.token))
      .expect(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        status: 'exited',
        exitedOn: '2024-09-30',
        exitReason: 'studies',
        incomeSupportAtExit: ['student_aid'],
      }),
    ]);
  });

  it('reads a Windows-1252 CSV (as older Excel writes it) with "Kvinna", "Försäkringskassan" and "Nynäshamn"', async () => {
    const code = unique('CP');
    const text = csv([
      row(code, { 'Anvisande part': 'Försäkringskassan', Kommun: 'Nynäshamn', Kön: 'Kvinna' }),
    ]);
    const bytes = Buffer.from(text, 'latin1'); // å, ä, ö have the same bytes in Windows-1252 and Latin-1
    expect(bytes.includes(Buffer.from('Försäkringskassan', 'utf8'))).toBe(false);
    const validated = await validate(bytes);
    expect(validated).toMatchObject({ status: 'validated', problems: [], summary: { created: 1 } });
    await commit(validated.id);
    const [e] = await t.db.query(
      `SELECT e.gender, e.referring_party, e.municipality_code::text AS m FROM enrolment e
         JOIN participant p ON p.id = e.participant_id WHERE p.code = $1`,
      [code],
    );
    expect(e).toEqual({ gender: 'woman', referring_party: 'social_insurance', m: '0192' });
  });

  it('reads a UTF-8 CSV with a BOM and "," between fields, and an XLSX with API names and real dates', async () => {
    const code = unique('BOM');
    const withBom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(csv([row(code)], ','), 'utf8'),
    ]);
    const v = await validate(withBom);
    expect(v).toMatchObject({ status: 'validated', problems: [], summary: { created: 1 } });

    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Deltagare');
    sheet.addRow([
      'participantCode',
      'intervention',
      'startedOn',
      'referringParty',
      'gender',
      'ageBand',
      'municipality',
      'exitedOn',
      'exitReason',
    ]);
    const xcode = unique('XLSX');
    sheet.addRow([
      xcode,
      a.id,
      new Date(Date.UTC(2024, 1, 1)),
      'school',
      'man',
      '16-18',
      '0136',
      new Date(Date.UTC(2024, 5, 30)),
      'work',
    ]);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const x = await validate(xlsx, coordinator.token, 'deltagare.xlsx');
    expect(x).toMatchObject({ status: 'validated', problems: [], summary: { created: 1 } });
    await commit(x.id);
    const [e] = await t.db.query(
      `SELECT e.started_on::text AS s, e.exited_on::text AS x, e.age_band FROM enrolment e
         JOIN participant p ON p.id = e.participant_id WHERE p.code = $1`,
      [xcode],
    );
    expect(e).toEqual({ s: '2024-02-01', x: '2024-06-30', age_band: '16-18' });
  });

  it('reports every rule a row breaks by row and column, and stores nothing', async () => {
    const open = unique('OPEN');
    const stored = unique('STORED');
    // Open enrolments already stored: a file opening another for the same participant conflicts with one,
    // and a row with the other's key but other values disagrees with it.
    await commit((await validate(csv([row(open, { Startdatum: '2024-01-15' }), row(stored)]))).id);
    const cases: [string[], string, RegExp][] = [
      [row(''), 'Deltagarkod', /is required/],
      [row('bad*code'), 'Deltagarkod', /letters, digits/],
      [row('850412-1234'), 'Deltagarkod', /personnummer/],
      [row(unique('P'), { Utbildning: 'se 19850412-1234' }), 'Utbildning', /personnummer/],
      [row(unique('P'), { Insats: 'Ingen sådan insats' }), 'Insats', /not an insats of this association/],
      [row(unique('P'), { Insats: b.name }), 'Insats', /outside your scope/],
      [row(unique('P'), { Startdatum: '2024-02-30' }), 'Startdatum', /real date/],
      [row(unique('P'), { Startdatum: '2099-01-01' }), 'Startdatum', /future/],
      [row(unique('P'), { Startdatum: '2022-06-01' }), 'Startdatum', /before the intervention started/],
      [row(unique('P'), { 'Anvisande part': 'Grannen' }), 'Anvisande part', /not one of/],
      [row(unique('P'), { Kön: 'x' }), 'Kön', /not one of/],
      [row(unique('P'), { Kön: '' }), 'Kön', /is required/],
      [row(unique('P'), { Ålder: '12' }), 'Ålder', /from 16 to 66/],
      [row(unique('P'), { Ålder: '' }), 'Åldersgrupp', /is required/],
      [row(unique('P'), { Kommun: 'Atlantis' }), 'Kommun', /not a Swedish municipality/],
      [row(unique('P'), { Utbildning: 'Doktor' }), 'Utbildning', /not one of/],
      [
        row(unique('P'), { 'Försörjning vid start': 'Lön, Lotteri' }),
        'Försörjning vid start',
        /"Lotteri" is not one of/,
      ],
      [row(unique('P'), { Slutdatum: '2024-02-01' }), 'Avslutsorsak', /is required when Slutdatum/],
      [row(unique('P'), { Avslutsorsak: 'work' }), 'Slutdatum', /is required when Avslutsorsak/],
      [
        row(unique('P'), { Slutdatum: '2024-02-01', Avslutsorsak: 'registration_error' }),
        'Avslutsorsak',
        /not one of/,
      ],
      [row(unique('P'), { Slutdatum: '2024-02-01', Avslutsorsak: 'work' }), 'Slutdatum', /before startedOn/],
      [
        row(unique('P'), { 'Försörjning vid avslut': 'Lön' }),
        'Försörjning vid avslut',
        /only given with an exit/,
      ],
      [row(open, { Startdatum: '2024-04-01' }), 'Deltagarkod', /already has an open enrolment/],
      [row(stored, { Kön: 'Man' }), 'Kön', /differs from the stored enrolment/],
    ];
    const dup = unique('DUP');
    const rows = [...cases.map((c) => c[0]), row(dup), row(dup)];
    const before = await enrolmentCount();
    const validated = await validate(csv(rows));
    expect(validated.status).toBe('validated');
    cases.forEach(([, column, message], i) => {
      const found = validated.problems.filter((p: { row: number }) => p.row === i + 2);
      expect(found).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ column, message: expect.stringMatching(message) }),
        ]),
      );
    });
    expect(validated.problems).toContainEqual(
      expect.objectContaining({
        row: cases.length + 3,
        column: 'Deltagarkod',
        message: expect.stringMatching(/already on row/),
      }),
    );
    // Every problem has a code of the list (the web words it in Swedish); a personal number has no parameter.
    for (const p of validated.problems) expect(IMPORT_PROBLEM_CODES).toContain(p.code);
    expect(validated.problems).toContainEqual(
      expect.objectContaining({ row: 4, column: 'Deltagarkod', code: 'personal_number', params: {} }),
    );
    // A flagged personal number is never echoed back.
    expect(JSON.stringify(validated.problems)).not.toContain('850412');
    const res = await t
      .http()
      .post(`/api/v1/imports/${validated.id}/commit`)
      .set(bearer(coordinator.token))
      .expect(409);
    expect(res.body.message).toMatch(/problems/);
    expect(await enrolmentCount()).toBe(before);
  });

  it('refuses unknown or missing columns with a clear message', async () => {
    const res = await validate('Deltagarkod;Insats;Namn\r\nX1;Y;Z\r\n');
    expect(res.status).toBe('failed');
    expect(res).toMatchObject({ errorCode: 'columns_not_recognised', errorParams: {} });
    expect(res.error).toMatch(/columns/);
    expect(res.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          row: 1,
          column: 'Namn',
          code: 'unknown_column',
          message: expect.stringMatching(/unknown column/),
        }),
        expect.objectContaining({
          row: 1,
          column: 'Startdatum',
          code: 'missing_column',
          message: 'the column is missing',
        }),
      ]),
    );
  });

  it('stores nothing from a file of 10,000 rows with one bad row, and all of it once the row is fixed', async () => {
    const prefix = unique('BULK');
    const make = (bad: boolean) =>
      csv(
        Array.from({ length: 10_000 }, (_, i) =>
          row(`${prefix}-${i}`, { Startdatum: i === 7777 && bad ? '2024-13-01' : '2024-03-01' }),
        ),
      );
    const before = await enrolmentCount();
    const bad = await validate(make(true));
    expect(bad.problemCount).toBe(1);
    expect(bad.problems).toEqual([expect.objectContaining({ row: 7779, column: 'Startdatum' })]);
    await t.http().post(`/api/v1/imports/${bad.id}/commit`).set(bearer(coordinator.token)).expect(409);
    expect(await enrolmentCount()).toBe(before);

    const good = await validate(make(false));
    expect(good.summary).toEqual({ created: 10_000, exited: 0, unchanged: 0 });
    expect(await commit(good.id)).toMatchObject({ status: 'done', summary: { created: 10_000 } });
    expect(await enrolmentCount()).toBe(before + 10_000);
  });

  it('refuses a 50 MB upload at the route, and fails a file of random bytes with a clear message', async () => {
    const big = randomBytes(50 * 1024 * 1024);
    const res = await upload(big, coordinator.token, 'slump.csv');
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/larger than the import limit of 20 MB/);
    expect(await t.db.query(`SELECT 1 FROM import_job WHERE filename = 'slump.csv'`)).toEqual([]);

    const rss = process.memoryUsage().rss;
    const random = await validate(randomBytes(5 * 1024 * 1024), coordinator.token, 'slump2.csv');
    expect(random).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/neither an XLSX workbook nor a CSV/),
      errorCode: 'binary_file',
    });
    // The worker (in this process) did not build up the file's rows in memory.
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses the commit when the stored enrolments changed meanwhile, and commits without matching again when they did not', async () => {
    const code = unique('RACE');
    const validated = await validate(csv([row(code)]));
    expect(validated.summary).toEqual({ created: 1, exited: 0, unchanged: 0 });
    // Someone registers the participant in the app before the commit.
    await f.enrol(coordinator.token, a.id, { participantCode: code, startedOn: '2024-04-01' });
    const failed = await commit(validated.id);
    expect(failed).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/changed since the file was validated/),
      errorCode: 'enrolments_changed',
    });
    expect(failed.problems).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'Deltagarkod',
        code: 'open_enrolment_stored',
        params: { startedOn: '2024-04-01' },
        message: expect.stringMatching(/open enrolment/),
      }),
    ]);

    // Nothing changed since validation (validated "later" than every write): stored as matched then.
    const other = unique('CALM');
    const calm = await validate(csv([row(other)]));
    await t.db.query(`UPDATE import_job SET validated_at = now() + interval '1 hour' WHERE id = $1`, [
      calm.id,
    ]);
    expect(await commit(calm.id)).toMatchObject({ status: 'done', summary: { created: 1 } });
    expect(
      await t.db.query(
        `SELECT 1 FROM enrolment e JOIN participant p ON p.id = e.participant_id WHERE p.code = $1`,
        [other],
      ),
    ).toHaveLength(1);
  });

  it('picks up an import whose job was lost (the sweep re-enqueues it)', async () => {
    // As if Redis had been away at upload: the row exists, no job was ever queued.
    const [{ id }] = await t.db.query(
      `INSERT INTO import_job (association_id, uploaded_by, filename, file, file_size)
       VALUES ($1, $2, 'lost.csv', $3, 1) RETURNING id`,
      [associationId, coordinator.id, Buffer.from(csv([row(unique('LOST'))]), 'utf8')],
    );
    const validated = await settled(id);
    expect(validated).toMatchObject({ status: 'validated', summary: { created: 1 } });
    await t.db.query(`UPDATE import_job SET status = 'committing' WHERE id = $1`, [id]);
    expect(await settled(id, coordinator.token, ['done', 'failed'])).toMatchObject({ status: 'done' });
  });

  it('limits imports to the caller: the board may not import, others may not read an import, structural insatser take no rows', async () => {
    await upload(csv([row(unique('B'))]), board.token).expect(403);
    const outside = await validate(csv([row(unique('S'), { Insats: structural.name })]));
    expect(outside.problems).toEqual([
      expect.objectContaining({ column: 'Insats', message: expect.stringMatching(/outside your scope/) }),
    ]);
    const mine = await validate(csv([row(unique('S'), { Insats: structural.name })]), evaluator.token);
    expect(mine.problems).toEqual([
      expect.objectContaining({ column: 'Insats', message: expect.stringMatching(/structural/) }),
    ]);
    await t.http().get(`/api/v1/imports/${mine.id}`).set(bearer(coordinator.token)).expect(404);
    await t.http().get(`/api/v1/imports/${mine.id}`).set(bearer(f.adminToken)).expect(200);
    // An evaluator imports for the whole association.
    const ev = await validate(csv([row(unique('EV'), { Insats: b.name })]), evaluator.token);
    expect(ev).toMatchObject({ status: 'validated', problems: [], summary: { created: 1 } });
    // Another association is out of reach.
    const other = (await f.association()).id;
    await t
      .http()
      .post('/api/v1/imports')
      .set(bearer(coordinator.token))
      .field('associationId', other)
      .attach('file', Buffer.from(csv([row('X')])), 'x.csv')
      .expect(403);
    await t
      .http()
      .post('/api/v1/imports')
      .set(bearer(coordinator.token))
      .field('associationId', associationId)
      .expect(400);
  });
});

describe('individual-oriented and structural insatser', () => {
  let t: TestApp;
  let f: Fixtures;
  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
  });
  afterAll(() => t.close());

  it('has participants only in individual-oriented insatser', async () => {
    const associationId = (await f.association()).id;
    const individual = await f.intervention(associationId);
    expect(individual).toMatchObject({ kind: 'individual' });
    const structural = await f.intervention(associationId, { kind: 'structural' });
    expect(structural).toMatchObject({ kind: 'structural' });
    await t
      .http()
      .post('/api/v1/interventions')
      .set(bearer(f.adminToken))
      .send({ associationId, name: 'X', startsOn: '2024-01-01', municipalities: ['0136'], kind: 'both' })
      .expect(400);

    const res = await t
      .http()
      .post(`/api/v1/interventions/${structural.id}/enrolments`)
      .set(bearer(f.adminToken))
      .send({
        participantCode: 'S1',
        startedOn: '2024-02-01',
        referringParty: 'school',
        gender: 'man',
        ageBand: '16-18',
        municipality: '0136',
      })
      .expect(409);
    expect(res.body.message).toMatch(/structural/);

    await f.enrol(f.adminToken, individual.id);
    const change = await t
      .http()
      .patch(`/api/v1/interventions/${individual.id}`)
      .set(bearer(f.adminToken))
      .send({ kind: 'structural' })
      .expect(409);
    expect(change.body.details).toEqual([expect.objectContaining({ field: 'kind' })]);
    const ok = await t
      .http()
      .patch(`/api/v1/interventions/${structural.id}`)
      .set(bearer(f.adminToken))
      .send({ kind: 'individual' })
      .expect(200);
    expect(ok.body.kind).toBe('individual');
    // null is not "no change": refused on the field, and the kind stays as it was
    const cleared = await t
      .http()
      .patch(`/api/v1/interventions/${structural.id}`)
      .set(bearer(f.adminToken))
      .send({ kind: null })
      .expect(400);
    expect(cleared.body.details).toContainEqual({
      field: 'kind',
      message: 'must not be null (leave the field out to keep it)',
    });
    const [{ kind }] = await t.db.query(`SELECT kind FROM intervention WHERE id = $1`, [structural.id]);
    expect(kind).toBe('individual');
  });
});
