import { ADMIN, bearer, Fixtures, PASSWORD, unique } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { webLogin } from './helpers/web';

const YEAR = new Date().getFullYear();

describe('web pages: coordinator corrections, evaluator reports and admin forms', () => {
  let t: TestApp;
  let f: Fixtures;
  let association: { id: string; name: string };
  let insats: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
    association = await f.association();
    insats = await f.intervention(association.id);
  });
  afterAll(() => t.close());

  it('coordinator: corrects an enrolment, reopens an exit, and removes one only after the confirmation step', async () => {
    const coordinator = await f.user('coordinator', { interventionIds: [insats.id] });
    const enrolment = await f.enrol(coordinator.token, insats.id, {
      gender: 'woman',
      startedOn: `${YEAR}-01-10`,
    });
    const c = await webLogin(t, coordinator.email, PASSWORD);
    const form = await t.http().get(`/inskrivningar/${enrolment.id}/rattelse`).set('Cookie', c.cookie);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/value="woman" checked/);

    const send = (path: string, body: string) =>
      t.http().post(path).set('Cookie', c.cookie).type('form').send(`_csrf=${c.csrf}&${body}`);
    const start = `participantCode=${enrolment.participantCode}&startedOn=${YEAR}-01-10&referringParty=school&gender=man&ageBand=25-29&municipality=0136&educationLevel=compulsory`;
    const corrected = await send(`/inskrivningar/${enrolment.id}/rattelse`, start);
    expect(corrected.status).toBe(303);
    const row = (
      await t.db.query(`SELECT gender, age_band, referring_party FROM enrolment WHERE id = $1`, [
        enrolment.id,
      ])
    )[0];
    expect(row).toEqual({ gender: 'man', age_band: '25-29', referring_party: 'school' });
    const page = await t.http().get(`/inskrivningar/${enrolment.id}`).set('Cookie', c.cookie);
    expect(page.text).toContain(`Rättelsen av ${enrolment.participantCode} är sparad.`);

    // Both an age and a band: the rule of the API answers, in Swedish, with the values kept.
    const both = await send(`/inskrivningar/${enrolment.id}/rattelse`, `${start}&age=abc`);
    expect(both.status).toBe(400);
    expect(both.text).toContain('Ange ålder i hela år mellan 16 och 66');
    expect(both.text).toContain('value="abc"');

    expect(
      (await send(`/inskrivningar/${enrolment.id}/avslut`, `exitedOn=${YEAR}-01-20&exitReason=studies`))
        .status,
    ).toBe(303);
    const again = await send(
      `/inskrivningar/${enrolment.id}/avslut`,
      `exitedOn=${YEAR}-01-21&exitReason=work`,
    );
    expect(again.status).toBe(400);
    expect(again.text).toContain(`Inskrivningen är redan avslutad (${YEAR}-01-20)`);
    const reopened = await send(`/inskrivningar/${enrolment.id}/rattelse`, `${start}&reopen=yes`);
    expect(reopened.status).toBe(303);
    expect(
      (await t.db.query(`SELECT exited_on FROM enrolment WHERE id = $1`, [enrolment.id]))[0].exited_on,
    ).toBeNull();

    const confirm = await t.http().get(`/inskrivningar/${enrolment.id}/ta-bort`).set('Cookie', c.cookie);
    expect(confirm.text).toContain('Ja, ta bort som felregistrering');
    expect(
      (await t.db.query(`SELECT removed_at FROM enrolment WHERE id = $1`, [enrolment.id]))[0].removed_at,
    ).toBeNull();
    const removed = await send(`/inskrivningar/${enrolment.id}/ta-bort`, '');
    expect(removed.status).toBe(303);
    expect(removed.headers.location).toBe(`/insatser/${insats.id}`);
    expect(
      (await t.db.query(`SELECT removed_at FROM enrolment WHERE id = $1`, [enrolment.id]))[0].removed_at,
    ).not.toBeNull();
    const audit = await t.db.query(`SELECT action, details FROM audit_log WHERE entity_id = $1 ORDER BY id`, [
      enrolment.id,
    ]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'create',
      'update',
      'exit',
      'update',
      'delete',
    ]);
    expect((await t.http().get(`/inskrivningar/${enrolment.id}`).set('Cookie', c.cookie)).status).toBe(404);
  });

  it('coordinator: searches by code with a POST, pages the list, and never puts the code in a link', async () => {
    const coordinator = await f.user('coordinator', { interventionIds: [insats.id] });
    const codes: string[] = [];
    for (let n = 0; n < 27; n++)
      codes.push(
        (await f.enrol(coordinator.token, insats.id, { startedOn: `${YEAR}-01-05` })).participantCode,
      );
    const c = await webLogin(t, coordinator.email, PASSWORD);
    const first = await t.http().get(`/insatser/${insats.id}`).set('Cookie', c.cookie);
    expect(first.text).toMatch(/Sida 1 av \d+/);
    expect(first.text).toContain(`href="/insatser/${insats.id}?status=open&amp;sida=2"`);
    const second = await t.http().get(`/insatser/${insats.id}?status=open&sida=2`).set('Cookie', c.cookie);
    expect(second.text).toMatch(/Sida 2 av \d+/);
    const found = await t
      .http()
      .post(`/insatser/${insats.id}/sok`)
      .set('Cookie', c.cookie)
      .type('form')
      .send({ _csrf: c.csrf, status: 'all', kod: codes[3] });
    expect(found.status).toBe(200);
    expect(found.text.match(/href="\/inskrivningar\//g)).toHaveLength(1);
    expect(found.text).toContain(`>${codes[3]}</a>`);
    expect(found.text).not.toContain(`kod=${codes[3]}`);
  });

  it('evaluator: every scope of the report page answers with its tables, and a bad period is a Swedish 400', async () => {
    const other = await f.intervention(association.id);
    const evaluator = await f.user('evaluator', { associationIds: [association.id] });
    const e = await webLogin(t, evaluator.email, PASSWORD);
    for (const query of [
      `typ=forbund&forbund=${association.id}&period=${YEAR}`,
      `typ=insats&insats=${insats.id}&period=${YEAR}-H1`,
      `typ=urval&forbund=${association.id}&insatser=${insats.id}&insatser=${other.id}&period=${YEAR}-YTD-Q2`,
      `typ=region&period=since-start`,
    ]) {
      const res = await t.http().get(`/rapporter?${query}`).set('Cookie', e.cookie);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      expect(res.text).toContain('<caption id="table-results-caption">Resultat i siffror</caption>');
      expect(res.text).toContain('<caption id="table-comparison-caption">');
      expect(res.text).toContain(`/rapporter/export?${query.replace(/&/g, '&amp;')}&amp;format=xlsx`);
    }
    const csv = await t
      .http()
      .get(`/rapporter/export?typ=forbund&forbund=${association.id}&period=${YEAR}&format=csv`)
      .set('Cookie', e.cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename=".*\.csv"/);
    const publication = await t
      .http()
      .get(
        `/rapporter/export?typ=forbund&forbund=${association.id}&period=${YEAR}&format=csv&publicering=true`,
      )
      .set('Cookie', e.cookie);
    expect(publication.headers['content-disposition']).toContain('-publicering.csv');
    const bad = await t
      .http()
      .get(`/rapporter?typ=forbund&forbund=${association.id}&period=2024-Q9`)
      .set('Cookie', e.cookie);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Felaktig adress');
    const outside = await f.association();
    const foreign = await t
      .http()
      .get(`/rapporter?typ=forbund&forbund=${outside.id}&period=${YEAR}`)
      .set('Cookie', e.cookie);
    expect(foreign.status).toBe(403);
  });

  it('admin: associations, insatser with goals, and users with scope, deactivation and a new password', async () => {
    const a = await webLogin(t, ADMIN.email, ADMIN.password);
    const post = (path: string, body: string) =>
      t.http().post(path).set('Cookie', a.cookie).type('form').send(`_csrf=${a.csrf}&${body}`);

    const badAssociation = await post('/admin/forbund', 'name=&disclosureThreshold=1');
    expect(badAssociation.status).toBe(400);
    expect(badAssociation.text).toContain('Ange ett namn');
    expect(badAssociation.text).toContain('Ange en gräns mellan 2 och 20');
    const name = unique('Förbundet');
    expect(
      (await post('/admin/forbund', `name=${encodeURIComponent(name)}&disclosureThreshold=5`)).status,
    ).toBe(303);
    const [created] = await t.db.query(`SELECT id, disclosure_threshold FROM association WHERE name = $1`, [
      name,
    ]);
    expect(created.disclosure_threshold).toBe(5);

    const noMunicipality = await post(
      '/admin/insatser',
      `associationId=${created.id}&name=Teamet&startsOn=2025-01-01`,
    );
    expect(noMunicipality.status).toBe(400);
    expect(noMunicipality.text).toContain('Välj minst en kommun');
    const newInsats = await post(
      '/admin/insatser',
      `associationId=${created.id}&name=Teamet&startsOn=2025-01-01&municipalities=0136&municipalities=0138`,
    );
    expect(newInsats.status).toBe(303);
    const insatsId = newInsats.headers.location.split('/').pop()!;
    const badGoals = await post(
      `/admin/insatser/${insatsId}/mal`,
      `year=${YEAR}&participants=-3&shareWorkOrStudies=140`,
    );
    expect(badGoals.status).toBe(400);
    expect(badGoals.text).toContain('Ange ett heltal, 0 eller mer');
    expect(badGoals.text).toContain('Ange en procentsats mellan 0 och 100');
    expect(
      (await post(`/admin/insatser/${insatsId}/mal`, `year=${YEAR}&participants=120&shareWorkOrStudies=42,5`))
        .status,
    ).toBe(303);
    const goals = await t
      .http()
      .get(`/api/v1/interventions/${insatsId}/goals/${YEAR}`)
      .set(bearer(f.adminToken));
    expect(goals.body).toMatchObject({ participants: 120, shareWorkOrStudies: 0.425 });

    const email = `${unique('ny')}@test.uppfoljning.se`;
    const noScope = await post(
      '/admin/anvandare',
      `email=${email}&role=evaluator&password=Long-enough-password-1`,
    );
    expect(noScope.status).toBe(400);
    expect(noScope.text).toContain('Välj minst ett förbund');
    expect(noScope.text).toContain(`value="${email}"`);
    expect(noScope.text).not.toContain('Long-enough-password-1');
    const user = await post(
      '/admin/anvandare',
      `email=${email}&role=evaluator&password=Long-enough-password-1&associationIds=${created.id}`,
    );
    expect(user.status).toBe(303);
    const userId = user.headers.location.split('/').pop()!;
    expect(
      (await post(`/admin/anvandare/${userId}/uppdrag`, `associationIds=${association.id}`)).status,
    ).toBe(303);
    const scoped = await t.db.query(`SELECT association_id FROM user_association WHERE user_id = $1`, [
      userId,
    ]);
    expect(scoped).toEqual([{ association_id: association.id }]);
    expect((await post(`/admin/anvandare/${userId}/losenord`, 'password=short')).status).toBe(400);
    expect(
      (await post(`/admin/anvandare/${userId}/losenord`, 'password=Another-long-password-2')).status,
    ).toBe(303);
    await webLogin(t, email, 'Another-long-password-2');
    expect((await post(`/admin/anvandare/${userId}/status`, 'active=false')).status).toBe(303);
    await expect(webLogin(t, email, 'Another-long-password-2')).rejects.toThrow(/web login/);

    const log = await t.http().get(`/admin/logg?typ=user&id=${userId}`).set('Cookie', a.cookie);
    expect(log.status).toBe(200);
    expect(log.text).toContain('Skapad');
    expect(log.text).toContain('Ändrad');
    expect((await t.http().get('/status').set('Cookie', a.cookie)).text).toContain('Väntande omräkningar');
  });
});
