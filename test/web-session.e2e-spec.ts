import { createHash } from 'node:crypto';
import { ADMIN, Fixtures, PASSWORD } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { cookiesOf, csrfOf, webLogin } from './helpers/web';

describe('web pages: sign-in, sessions and CSRF', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
  });
  afterAll(() => t.close());

  it('shows a visitor the Swedish login form with a CSRF field', async () => {
    const res = await t.http().get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<html lang="sv">');
    expect(res.text).toContain('<title>Logga in – Uppföljning</title>');
    expect(csrfOf(res.text)).toHaveLength(43);
  });

  it('refuses a login posted without the form token', async () => {
    const res = await t
      .http()
      .post('/logga-in')
      .type('form')
      .send({ email: ADMIN.email, password: ADMIN.password });
    expect(res.status).toBe(403);
    expect(cookiesOf(res).some((c) => c.startsWith('uppfoljning_session='))).toBe(false);
  });

  it('answers a wrong password with the error beside the field and the email kept', async () => {
    const form = await t.http().get('/');
    const res = await t
      .http()
      .post('/logga-in')
      .set('Cookie', cookiesOf(form).join('; '))
      .type('form')
      .send({ _csrf: csrfOf(form.text), email: ADMIN.email, password: 'wrong-password-123' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Det finns ett problem');
    expect(res.text).toContain('href="#field-email">Fel e-postadress eller lösenord');
    expect(res.text).toContain(`value="${ADMIN.email}"`);
  });

  it('sets an HttpOnly SameSite=Lax session cookie stored server-side, and logout ends it', async () => {
    const form = await t.http().get('/');
    const res = await t
      .http()
      .post('/logga-in')
      .set('Cookie', cookiesOf(form).join('; '))
      .type('form')
      .send({ _csrf: csrfOf(form.text), email: ADMIN.email, password: ADMIN.password });
    expect(res.status).toBe(303);
    const raw = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('uppfoljning_session='),
    )!;
    expect(raw).toMatch(/HttpOnly/);
    expect(raw).toMatch(/SameSite=Lax/);
    expect(raw).not.toMatch(/Secure/); // plain http in the test; Secure behind TLS
    const cookie = cookiesOf(res).join('; ');
    const token = cookie.split('=')[1];
    // Only a hash of the token is stored.
    const stored = await t.db.query(`SELECT token_hash FROM web_session`);
    expect(stored.map((r: { token_hash: string }) => r.token_hash)).not.toContain(token);

    const start = await t.http().get('/').set('Cookie', cookie);
    expect(start.text).toContain('<h1>Administration</h1>');
    const csrf = csrfOf(start.text);

    const noToken = await t
      .http()
      .post('/admin/forbund')
      .set('Cookie', cookie)
      .type('form')
      .send({ name: 'X' });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('Formuläret har gått ut');

    const hash = createHash('sha256').update(token).digest('hex');
    expect(await t.db.query(`SELECT 1 FROM web_session WHERE token_hash = $1`, [hash])).toHaveLength(1);
    const out = await t.http().post('/logga-ut').set('Cookie', cookie).type('form').send({ _csrf: csrf });
    expect(out.status).toBe(303);
    expect(await t.db.query(`SELECT 1 FROM web_session WHERE token_hash = $1`, [hash])).toHaveLength(0);
    const after = await t.http().get('/admin/forbund').set('Cookie', cookie);
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/');
  });

  it('ends a session left idle longer than the idle timeout', async () => {
    const { cookie } = await webLogin(t, ADMIN.email, ADMIN.password);
    expect((await t.http().get('/admin/anvandare').set('Cookie', cookie)).status).toBe(200);
    // Only this session (other test files share the database).
    const hash = createHash('sha256').update(cookie.split('=')[1]).digest('hex');
    const aged = await t.db.query(
      `UPDATE web_session SET last_seen_at = now() - interval '31 minutes' WHERE token_hash = $1 RETURNING 1`,
      [hash],
    );
    expect(aged[1]).toBe(1);
    const res = await t.http().get('/admin/anvandare').set('Cookie', cookie);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('ends the session of a user who is deactivated', async () => {
    const association = await f.association();
    const user = await f.user('evaluator', { associationIds: [association.id] });
    const { cookie } = await webLogin(t, user.email, PASSWORD);
    expect((await t.http().get('/rapporter').set('Cookie', cookie)).status).toBe(303); // to its default scope
    await t
      .http()
      .patch(`/api/v1/users/${user.id}`)
      .set({ Authorization: `Bearer ${f.adminToken}` })
      .send({ active: false });
    const res = await t.http().get('/rapporter').set('Cookie', cookie);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('gives a board member 403 on participant pages and exports, and a coordinator 403 on another insats', async () => {
    const association = await f.association();
    const mine = await f.intervention(association.id);
    const other = await f.intervention(association.id);
    const coordinator = await f.user('coordinator', { interventionIds: [mine.id] });
    const enrolment = await f.enrol(coordinator.token, mine.id);
    const board = await f.user('board', { associationIds: [association.id] });

    const b = await webLogin(t, board.email, PASSWORD);
    for (const path of [
      `/insatser/${mine.id}`,
      `/insatser/${mine.id}/inskrivning/ny`,
      `/inskrivningar/${enrolment.id}`,
      `/rapporter`,
      `/rapporter/export?typ=forbund&forbund=${association.id}&period=2024&format=xlsx`,
      `/admin/anvandare`,
    ]) {
      const res = await t.http().get(path).set('Cookie', b.cookie);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    const c = await webLogin(t, coordinator.email, PASSWORD);
    expect((await t.http().get(`/insatser/${mine.id}`).set('Cookie', c.cookie)).status).toBe(200);
    expect((await t.http().get(`/insatser/${other.id}`).set('Cookie', c.cookie)).status).toBe(403);
    const post = await t
      .http()
      .post(`/insatser/${other.id}/inskrivning`)
      .set('Cookie', c.cookie)
      .type('form')
      .send({ _csrf: c.csrf, participantCode: 'X-1', startedOn: '2024-01-01' });
    expect(post.status).toBe(403);
  });

  it('keeps every entered value and names the field in Swedish when a rule rejects an enrolment', async () => {
    const association = await f.association();
    const insats = await f.intervention(association.id);
    const coordinator = await f.user('coordinator', { interventionIds: [insats.id] });
    const c = await webLogin(t, coordinator.email, PASSWORD);
    const res = await t
      .http()
      .post(`/insatser/${insats.id}/inskrivning`)
      .set('Cookie', c.cookie)
      .type('form')
      .send(
        `_csrf=${c.csrf}&participantCode=850412-1234&startedOn=2099-01-01&referringParty=school&gender=man&age=30` +
          `&municipality=0136&educationLevel=compulsory&incomeSupportAtStart=salary&incomeSupportAtStart=none`,
      );
    expect(res.status).toBe(400);
    expect(res.text).toContain('Deltagarkoden ser ut som ett personnummer');
    expect(res.text).toContain('value="850412-1234"');
    expect(res.text).toMatch(/value="school" checked/);
    expect(res.text).toMatch(/value="salary" checked/);
    expect(res.text).toMatch(/value="none" checked/);
    expect(res.text).toContain('value="30"');
    const rows = await t.db.query(`SELECT count(*)::int AS n FROM enrolment WHERE intervention_id = $1`, [
      insats.id,
    ]);
    expect(rows[0].n).toBe(0);

    const future = await t
      .http()
      .post(`/insatser/${insats.id}/inskrivning`)
      .set('Cookie', c.cookie)
      .type('form')
      .send(
        `_csrf=${c.csrf}&participantCode=P-77&startedOn=2099-01-01&referringParty=school&gender=man&age=30&municipality=0136`,
      );
    expect(future.status).toBe(400);
    expect(future.text).toContain('Datumet får inte ligga i framtiden');
  });
});

describe('web pages behind a TLS-terminating proxy (TRUST_PROXY=true)', () => {
  let t: TestApp;
  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    t = await createTestApp();
  });
  afterAll(async () => {
    delete process.env.TRUST_PROXY;
    await t.close();
  });

  it('marks the session cookie Secure when the proxy says the request came over https', async () => {
    const form = await t.http().get('/').set('X-Forwarded-Proto', 'https');
    const res = await t
      .http()
      .post('/logga-in')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', cookiesOf(form).join('; '))
      .type('form')
      .send({ _csrf: csrfOf(form.text), email: ADMIN.email, password: ADMIN.password });
    expect(res.status).toBe(303);
    const raw = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('uppfoljning_session='),
    )!;
    expect(raw).toMatch(/; Secure/);
    expect(raw).toMatch(/HttpOnly/);
  });
});

describe('web login rate limit', () => {
  let t: TestApp;
  const previous = process.env.LOGIN_RATE_LIMIT_PER_MINUTE;
  const previousPrefix = process.env.REDIS_PREFIX;
  beforeAll(async () => {
    process.env.LOGIN_RATE_LIMIT_PER_MINUTE = '2';
    // The address counter (and its block) lives in Redis: a prefix of its own, so other files' logins
    // neither count here nor find the address blocked by this test.
    process.env.REDIS_PREFIX = `${previousPrefix}-web-address-limit`;
    t = await createTestApp();
  });
  afterAll(async () => {
    process.env.LOGIN_RATE_LIMIT_PER_MINUTE = previous;
    process.env.REDIS_PREFIX = previousPrefix;
    await t.close();
  });

  it('answers the third attempt in a minute with 429 and a Swedish message, like the API login', async () => {
    const attempt = async () => {
      const form = await t.http().get('/');
      return t
        .http()
        .post('/logga-in')
        .set('Cookie', cookiesOf(form).join('; '))
        .type('form')
        .send({ _csrf: csrfOf(form.text), email: ADMIN.email, password: 'wrong-password-123' });
    };
    expect((await attempt()).status).toBe(400);
    expect((await attempt()).status).toBe(400);
    const third = await attempt();
    expect(third.status).toBe(429);
    expect(third.text).toContain('För många inloggningsförsök');
  });
});
