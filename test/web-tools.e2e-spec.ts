import type { INestApplicationContext } from '@nestjs/common';
import { ADMIN, bearer, Fixtures, PASSWORD, unique } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { webLogin } from './helpers/web';
import { createTestWorker, eventually } from './helpers/worker';

const YEAR = new Date().getFullYear();
const HEADER = ['Deltagarkod', 'Insats', 'Startdatum', 'Anvisande part', 'Kön', 'Ålder', 'Kommun'];

/**
 * The survey, import, data-quality and national-count pages (issues 9–11 in the browser's forms): each
 * calls the libraries' use cases with the caller's scope, so another coordinator's import stays hidden,
 * the board never reaches them, and the forms keep their CSRF check (also on file uploads).
 */
describe('web pages: surveys, imports, data quality, national count', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let f: Fixtures;
  let association: { id: string; name: string };
  let insats: { id: string; name: string };
  let other: { id: string; name: string };

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
    association = await f.association({ disclosureThreshold: 3 });
    const make = async (name: string) => ({ id: (await f.intervention(association.id, { name })).id, name });
    insats = await make(unique('Steget'));
    other = await make(unique('Andra'));
  }, 60_000);
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const form = (c: { cookie: string; csrf: string }, path: string, body: string) =>
    t.http().post(path).set('Cookie', c.cookie).type('form').send(`_csrf=${c.csrf}&${body}`);

  it('evaluator: creates a round (bad input answered in Swedish), enters an answer, makes links; results on the report, masked on the board', async () => {
    const evaluator = await f.user('evaluator', { associationIds: [association.id] });
    const c = await webLogin(t, evaluator.email, PASSWORD);
    const list = await t.http().get(`/enkater?forbund=${association.id}`).set('Cookie', c.cookie);
    expect(list.status).toBe(200);
    expect(list.text).toContain('nns-staff-2021');

    const bad = await form(
      c,
      '/enkater',
      `forbund=${association.id}&questionnaireId=nns-staff-2021&year=20x1&invited=0`,
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Ange år med fyra siffror');
    expect(bad.text).toContain('Ange antal inbjudna som ett heltal, minst 1');
    expect(bad.text).toContain('value="20x1"');
    // A participant questionnaire without exactly one insats: SurveyService's rule, worded on its field.
    const participant = await form(
      c,
      '/enkater',
      `forbund=${association.id}&questionnaireId=example-participant-ongoing&year=${YEAR}&invited=5`,
    );
    expect(participant.status).toBe(400);
    expect(participant.text).toContain('en deltagarenkät gäller exakt en insats');

    const created = await form(
      c,
      '/enkater',
      `forbund=${association.id}&questionnaireId=nns-staff-2021&year=${YEAR}&invited=4&interventionIds=${insats.id}`,
    );
    expect(created.status).toBe(303);
    const roundPath = created.headers.location as string;
    const roundId = roundPath.split('/').pop()!;
    const round = await t.http().get(roundPath).set('Cookie', c.cookie);
    expect(round.text).toContain('Omgången är skapad.');
    const question = /name="q-([^"]+)"/.exec(round.text)![1];

    const empty = await form(c, `${roundPath}/svar`, `q-${question}=`);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Välj ett svar på minst en fråga');
    const wrong = await form(c, `${roundPath}/svar`, `q-${question}=9`);
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Välj ett av svarsalternativen');
    for (let n = 0; n < 3; n++)
      expect((await form(c, `${roundPath}/svar`, `q-${question}=5`)).status).toBe(303);
    const stored = await t.db.query(`SELECT count(*)::int AS n FROM survey_response WHERE round_id = $1`, [
      roundId,
    ]);
    expect(stored[0].n).toBe(3);

    // One invited left: two links would exceed the invited, one is shown once.
    const tooMany = await form(c, `${roundPath}/lankar`, 'count=2');
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain('antalet inbjudna');
    const links = await form(c, `${roundPath}/lankar`, 'count=1');
    expect(links.status).toBe(200);
    expect(links.text).toMatch(/http:\/\/[^<\s]+\/enkat\/[A-Za-z0-9_-]{20,}/);

    // After the worker: exact shares on the report page, the board sees the question (3 answers ≥ k = 3).
    await eventually(
      () =>
        t
          .http()
          .get(`/rapporter?typ=forbund&forbund=${association.id}&period=${YEAR}`)
          .set('Cookie', c.cookie),
      (res) => res.text.includes('Indikatorenkäter') && res.text.includes('100 %'),
      60_000,
    );
    const board = await f.user('board', { associationIds: [association.id] });
    const b = await webLogin(t, board.email, PASSWORD);
    const dashboard = await t
      .http()
      .get(`/styrelse/${association.id}?period=${YEAR}`)
      .set('Cookie', b.cookie);
    expect(dashboard.text).toContain(`Indikatorenkäter ${YEAR}`);
    expect(dashboard.text).toContain('En fråga med färre än 3 svar');
    for (const path of [
      '/enkater',
      `/enkater/${roundId}`,
      '/import',
      '/datakvalitet',
      '/nationell-uppfoljning',
    ])
      expect({ path, status: (await t.http().get(path).set('Cookie', b.cookie)).status }).toEqual({
        path,
        status: 403,
      });
  }, 120_000);

  it('evaluator: checks an answers file (problems by row and column, nothing stored), imports it once', async () => {
    const evaluator = await f.user('evaluator', { associationIds: [association.id] });
    const c = await webLogin(t, evaluator.email, PASSWORD);
    const created = await form(
      c,
      '/enkater',
      `forbund=${association.id}&questionnaireId=nns-staff-2021&year=${YEAR}&invited=5`,
    );
    expect(created.status).toBe(303);
    const roundPath = created.headers.location as string;
    const roundId = roundPath.split('/').pop()!;
    const question = /name="q-([^"]+)"/.exec(
      (await t.http().get(roundPath).set('Cookie', c.cookie)).text,
    )![1];
    const send = (text: string, step: string, csrf = c.csrf) =>
      t
        .http()
        .post(`${roundPath}/fil`)
        .set('Cookie', c.cookie)
        .field('_csrf', csrf)
        .field('steg', step)
        .attach('file', Buffer.from(text, 'utf8'), 'svar.csv');
    const count = async () =>
      (await t.db.query(`SELECT count(*)::int AS n FROM survey_response WHERE round_id = $1`, [roundId]))[0]
        .n;

    expect((await send(`${question}\n5\n`, 'importera', 'wrong')).status).toBe(403);
    const bad = await send(`${question}\n5\n9\n`, 'importera');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Filen har 1 problem');
    expect(bad.text).toMatch(/<th scope="row">3<\/th><td[^>]*>A \(/);
    // The problem in Swedish from its code, not the API's English.
    expect(bad.text).toContain('finns inte på svarsskalan:');
    expect(bad.text).not.toContain('is not on the scale');
    expect(await count()).toBe(0);
    const checked = await send(`${question}\n5\n4\n`, 'kontrollera');
    expect(checked.status).toBe(200);
    expect(checked.text).toContain('Filen är kontrollerad: 2 svar kan läsas in.');
    expect(await count()).toBe(0);
    expect((await send(`${question}\n5\n4\n`, 'importera')).status).toBe(303);
    expect((await t.http().get(roundPath).set('Cookie', c.cookie)).text).toContain('2 svar är inlästa.');
    expect((await send(`${question}\n5\n4\n`, 'importera')).status).toBe(303);
    expect((await t.http().get(roundPath).set('Cookie', c.cookie)).text).toContain('redan inläst');
    expect(await count()).toBe(2);
  }, 60_000);

  it('coordinator: uploads a CSV (CSRF checked on the multipart body), sees it validated, commits; another coordinator cannot see it', async () => {
    const coordinator = await f.user('coordinator', { interventionIds: [insats.id] });
    const c = await webLogin(t, coordinator.email, PASSWORD);
    const code = unique('IMP');
    const csv = [HEADER, [code, insats.name, `${YEAR}-01-15`, 'Försäkringskassan', 'Kvinna', '30', 'Haninge']]
      .map((r) => r.join(';'))
      .join('\r\n');
    const upload = (csrf: string) =>
      t
        .http()
        .post('/import')
        .set('Cookie', c.cookie)
        .field('_csrf', csrf)
        .field('forbund', association.id)
        .attach('file', Buffer.from(csv, 'utf8'), 'deltagare.csv');
    expect((await upload('wrong')).status).toBe(403);
    expect(
      await t.db.query(`SELECT 1 FROM import_job WHERE filename = 'deltagare.csv' AND uploaded_by = $1`, [
        coordinator.id,
      ]),
    ).toHaveLength(0);
    const noFile = await t
      .http()
      .post('/import')
      .set('Cookie', c.cookie)
      .field('_csrf', c.csrf)
      .field('forbund', association.id);
    expect(noFile.status).toBe(400);
    expect(noFile.text).toContain('Välj en fil');
    const started = await upload(c.csrf);
    expect(started.status).toBe(303);
    const path = started.headers.location as string;
    const validated = await eventually(
      () => t.http().get(path).set('Cookie', c.cookie),
      (res) => res.text.includes('data-import-status="validated"'),
      60_000,
    );
    expect(validated.text).toContain('1 av 1 rader behandlade');
    expect(validated.text).toMatch(/data-created[^>]*>1</);
    expect(validated.text).toContain(`href="${path}/spara"`);

    const stranger = await f.user('coordinator', { interventionIds: [other.id] });
    const s = await webLogin(t, stranger.email, PASSWORD);
    expect((await t.http().get(path).set('Cookie', s.cookie)).status).toBe(404);
    // The upload page lists one's own latest imports only.
    expect((await t.http().get('/import').set('Cookie', c.cookie)).text).toContain(`href="${path}"`);
    expect((await t.http().get('/import').set('Cookie', s.cookie)).text).not.toContain(`href="${path}"`);
    expect((await form(s, `${path}/spara`, '')).status).toBe(404);

    expect((await t.http().get(`${path}/spara`).set('Cookie', c.cookie)).text).toContain('Ja, spara raderna');
    expect((await form(c, `${path}/spara`, '')).status).toBe(303);
    await eventually(
      () => t.http().get(path).set('Cookie', c.cookie),
      (res) => res.text.includes('data-import-status="done"'),
      60_000,
    );
    expect(await t.db.query(`SELECT 1 FROM participant WHERE code = $1`, [code])).toHaveLength(1);
  }, 120_000);

  it('coordinator: sees the problems of a bad file and why an import failed in Swedish, older stored ones as they were', async () => {
    const coordinator = await f.user('coordinator', { interventionIds: [insats.id] });
    const c = await webLogin(t, coordinator.email, PASSWORD);
    const upload = async (rows: string[][], filename: string) => {
      const res = await t
        .http()
        .post('/import')
        .set('Cookie', c.cookie)
        .field('_csrf', c.csrf)
        .field('forbund', association.id)
        .attach('file', Buffer.from(rows.map((r) => r.join(';')).join('\r\n'), 'utf8'), filename);
      expect(res.status).toBe(303);
      return res.headers.location as string;
    };
    const settled = (path: string, status: string) =>
      eventually(
        () => t.http().get(path).set('Cookie', c.cookie),
        (res) => res.text.includes(`data-import-status="${status}"`),
        60_000,
      ).then((res) => res.text);

    const good = [unique('OK'), insats.name, `${YEAR}-01-15`, 'Försäkringskassan', 'Kvinna', '30', 'Haninge'];
    const badPath = await upload(
      [
        HEADER,
        [unique('A'), insats.name, `${YEAR}-01-15`, 'Grannen', 'Kvinna', '30', 'Haninge'],
        [unique('B'), insats.name, `${YEAR}-02-30`, 'Försäkringskassan', 'Kvinna', '30', 'Atlantis'],
        ['850412-1234', insats.name, `${YEAR}-01-15`, 'Försäkringskassan', 'Kvinna', '', 'Haninge'],
        good,
      ],
      'fel.csv',
    );
    const bad = await settled(badPath, 'validated');
    const problems = /<table class="data-table" id="import-problems">[^]*?<\/table>/.exec(bad)![0];
    for (const swedish of [
      'är inte ett giltigt värde. Giltiga värden: Arbetsförmedlingen, Försäkringskassan',
      'är inget giltigt datum. Skriv datum som ÅÅÅÅ-MM-DD.',
      'är ingen svensk kommun',
      'Ser ut som ett personnummer eller samordningsnummer',
      'Ange ålder i hela år eller en åldersgrupp',
    ])
      expect(problems).toContain(swedish);
    for (const english of [
      'is not one of',
      'must be a real date',
      'not a Swedish municipality',
      'looks like a personnummer',
      'is required',
    ])
      expect(bad).not.toContain(english);
    expect(bad).not.toContain('850412');
    // The API still answers in English, with the code beside the message.
    const id = badPath.split('/').pop()!;
    const api = await t.http().get(`/api/v1/imports/${id}`).set(bearer(coordinator.token)).expect(200);
    expect(api.body.problems).toContainEqual(
      expect.objectContaining({
        row: 2,
        column: 'Anvisande part',
        code: 'unknown_value',
        message: expect.stringMatching(/^"Grannen" is not one of: employment_service/),
      }),
    );

    const failed = await settled(
      await upload(
        [
          ['Deltagarkod', 'Namn'],
          ['X1', 'Y'],
        ],
        'kolumner.csv',
      ),
      'failed',
    );
    expect(failed).toContain('Importen misslyckades: filens kolumner känns inte igen');
    expect(failed).toContain('Okänd kolumn. Använd rubrikerna Deltagarkod, Insats');
    expect(failed).toContain('Kolumnen saknas');
    expect(failed).not.toContain('not recognised');
    expect(failed).not.toContain('unknown column');

    // An import stored before problems had codes: its messages are shown as they were.
    const [{ id: old }] = await t.db.query(
      `INSERT INTO import_job (association_id, uploaded_by, filename, file_size, status, rows, problem_count, problems,
                               error, finished_at)
       VALUES ($1, $2, 'gammal.csv', 10, 'failed', 1, 1, $3, 'the file is gone', now()) RETURNING id`,
      [association.id, coordinator.id, JSON.stringify([{ row: 2, column: 'Kön', message: 'is required' }])],
    );
    const older = (await t.http().get(`/import/${old}`).set('Cookie', c.cookie).expect(200)).text;
    expect(older).toContain('Importen misslyckades: the file is gone');
    expect(older).toMatch(/<td[^>]*>is required<\/td>/);
  }, 120_000);

  it('data quality links each enrolment to its correction page (coordinator) or insats report (evaluator); national count as table and files', async () => {
    const coordinator = await f.user('coordinator', { interventionIds: [insats.id] });
    const enrolment = await f.enrol(coordinator.token, insats.id, { startedOn: `${YEAR}-01-10` });
    const exit = await t
      .http()
      .post(`/api/v1/enrolments/${enrolment.id}/exit`)
      .set(bearer(coordinator.token))
      .send({ exitedOn: `${YEAR}-01-20`, exitReason: 'work' });
    expect(exit.status).toBe(200);
    const c = await webLogin(t, coordinator.email, PASSWORD);
    const page = await t.http().get('/datakvalitet').set('Cookie', c.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/inskrivningar/${enrolment.id}/rattelse"`);
    expect((await t.http().get('/nationell-uppfoljning').set('Cookie', c.cookie)).status).toBe(403);

    const evaluator = await f.user('evaluator', { associationIds: [association.id] });
    const e = await webLogin(t, evaluator.email, PASSWORD);
    const seen = await t.http().get(`/datakvalitet?forbund=${association.id}`).set('Cookie', e.cookie);
    expect(seen.text).toContain(`href="/rapporter?typ=insats&amp;insats=${insats.id}"`);
    expect(seen.text).not.toContain('/rattelse');
    const count = await t
      .http()
      .get(`/nationell-uppfoljning?forbund=${association.id}&ar=${YEAR}`)
      .set('Cookie', e.cookie);
    expect(count.status).toBe(200);
    expect(count.text).toContain(insats.name);
    const bad = await t
      .http()
      .get(`/nationell-uppfoljning?forbund=${association.id}&ar=20x`)
      .set('Cookie', e.cookie);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Ange år med fyra siffror');
    const file = await t
      .http()
      .get(`/nationell-uppfoljning/export?forbund=${association.id}&ar=${YEAR}&format=csv`)
      .set('Cookie', e.cookie);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    expect(file.text).toContain(insats.name);
  }, 60_000);

  it("admin: changes an association's threshold and retention and an insats' municipalities, each audited; bad input changes nothing", async () => {
    const a = await webLogin(t, ADMIN.email, ADMIN.password);
    const page = await t.http().get(`/admin/forbund/${association.id}`).set('Cookie', a.cookie);
    expect(page.status).toBe(200);
    const bad = await form(a, `/admin/forbund/${association.id}/roejandeskydd`, 'disclosureThreshold=1');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Ange gränsen som ett heltal mellan 2 och 50');
    expect(bad.text).toContain('value="1"');
    const threshold = async () =>
      (
        await t.db.query(`SELECT disclosure_threshold AS k FROM association WHERE id = $1`, [association.id])
      )[0].k;
    expect(await threshold()).toBe(3);
    expect(
      (await form(a, `/admin/forbund/${association.id}/roejandeskydd`, 'disclosureThreshold=5')).status,
    ).toBe(303);
    expect(await threshold()).toBe(5);
    const audit = await t.db.query(
      `SELECT details FROM audit_log WHERE entity_id = $1 AND action = 'update' AND 'disclosureThreshold' = ANY(changed_fields)`,
      [association.id],
    );
    expect(audit.map((r: { details: unknown }) => r.details)).toEqual([{ from: 3, to: 5 }]);
    expect(
      (await form(a, `/admin/forbund/${association.id}/roejandeskydd`, 'disclosureThreshold=3')).status,
    ).toBe(303);

    expect((await form(a, `/admin/forbund/${association.id}/gallring`, 'retentionMonths=abc')).status).toBe(
      400,
    );
    expect((await form(a, `/admin/forbund/${association.id}/gallring`, 'retentionMonths=48')).status).toBe(
      303,
    );
    const retention = await t
      .http()
      .get(`/api/v1/associations/${association.id}/retention`)
      .set(bearer(f.adminToken));
    expect(retention.body).toEqual({ retentionMonths: 48, effectiveMonths: 48 });
    expect((await form(a, `/admin/forbund/${association.id}/gallring`, 'retentionMonths=')).status).toBe(303);
    const reset = await t
      .http()
      .get(`/api/v1/associations/${association.id}/retention`)
      .set(bearer(f.adminToken));
    expect(reset.body.retentionMonths).toBeNull();

    const none = await form(a, `/admin/insatser/${other.id}/kommuner`, '');
    expect(none.status).toBe(400);
    expect(none.text).toContain('Välj minst en kommun');
    const unknown = await form(a, `/admin/insatser/${other.id}/kommuner`, 'municipalities=9999');
    expect(unknown.status).toBe(400);
    expect(
      (await form(a, `/admin/insatser/${other.id}/kommuner`, 'municipalities=0136&municipalities=0138'))
        .status,
    ).toBe(303);
    const saved = await t.http().get(`/api/v1/interventions/${other.id}`).set(bearer(f.adminToken));
    expect(saved.body.municipalities).toEqual(['0136', '0138']);
    const changed = await t.db.query(
      `SELECT details FROM audit_log WHERE entity_id = $1 AND 'municipalities' = ANY(changed_fields) AND action = 'update'`,
      [other.id],
    );
    expect(changed[0].details.to).toEqual(['0136', '0138']);

    // Not for an evaluator (the admin pages' permission).
    const evaluator = await f.user('evaluator', { associationIds: [association.id] });
    const e = await webLogin(t, evaluator.email, PASSWORD);
    expect(
      (await form(e, `/admin/forbund/${association.id}/roejandeskydd`, 'disclosureThreshold=9')).status,
    ).toBe(403);
    expect(await threshold()).toBe(3);
  });
});
