import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import { AppModule } from '../apps/api/src/app.module';
import { ADMIN, bearer, Fixtures, login, PASSWORD, unique } from './helpers/fixtures';
import { useOwnDatabase } from './helpers/own-database';
import { createTestApp, type TestApp } from './helpers/test-app';

const NEW_PASSWORD = 'Another-long-passphrase-7';

describe('tokens end when access changes', () => {
  let t: TestApp;
  let f: Fixtures;
  let assoc1: string;
  let assoc2: string;
  let interventionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
    assoc1 = (await f.association()).id;
    assoc2 = (await f.association()).id;
    interventionId = (await f.intervention(assoc1)).id;
  });
  afterAll(() => t.close());

  const patch = (id: string, body: object) =>
    t.http().patch(`/api/v1/users/${id}`).set(bearer(f.adminToken)).send(body);
  const me = (token: string) => t.http().get('/api/v1/auth/me').set(bearer(token));

  it('a password change ends the old token; the new password works, the old one not', async () => {
    const u = await f.user('evaluator', { associationIds: [assoc1] });
    await me(u.token).expect(200);
    await patch(u.id, { password: NEW_PASSWORD }).expect(200);
    await me(u.token).expect(401);
    await t.http().post('/api/v1/auth/login').send({ email: u.email, password: PASSWORD }).expect(401);
    await me(await login(t, u.email, NEW_PASSWORD)).expect(200);
  });

  it("the user's own password change ends every other token and answers a fresh one", async () => {
    const u = await f.user('board', { associationIds: [assoc1] });
    const otherDevice = await login(t, u.email, PASSWORD);
    const change = (body: object, token = u.token) =>
      t.http().post('/api/v1/auth/password').set(bearer(token)).send(body);

    const wrong = await change({ currentPassword: 'not-my-password', newPassword: NEW_PASSWORD }).expect(400);
    expect(wrong.body.details).toEqual([
      { field: 'currentPassword', message: 'is not your current password' },
    ]);
    const weak = await change({ currentPassword: PASSWORD, newPassword: 'password1234' }).expect(400);
    expect(weak.body.details).toEqual([
      { field: 'newPassword', message: expect.stringMatching(/easy to guess|common/) },
    ]);
    await me(u.token).expect(200); // refused changes end nothing

    const changed = await change({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(200);
    expect(changed.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
    await me(u.token).expect(401);
    await me(otherDevice).expect(401);
    await me(changed.body.accessToken).expect(200);
    await t.http().post('/api/v1/auth/login').send({ email: u.email, password: PASSWORD }).expect(401);
    await login(t, u.email, NEW_PASSWORD);
  });

  it('deactivation ends the token, and reactivation does not bring it back', async () => {
    const u = await f.user('coordinator', { interventionIds: [interventionId] });
    await me(u.token).expect(200);
    await patch(u.id, { active: false }).expect(200);
    await me(u.token).expect(401);
    await t.http().post('/api/v1/auth/login').send({ email: u.email, password: PASSWORD }).expect(401);
    await patch(u.id, { active: true }).expect(200);
    await me(u.token).expect(401);
    await me(await login(t, u.email, PASSWORD)).expect(200);
  });

  it('a role change ends the token; the new token carries the new role', async () => {
    const u = await f.user('evaluator', { associationIds: [assoc1] });
    await t.http().get(`/api/v1/interventions/${interventionId}/enrolments`).set(bearer(u.token)).expect(200);
    await patch(u.id, { role: 'board' }).expect(200);
    await me(u.token).expect(401);
    const fresh = await login(t, u.email, PASSWORD);
    expect((await me(fresh).expect(200)).body.role).toBe('board');
    await t.http().get(`/api/v1/interventions/${interventionId}/enrolments`).set(bearer(fresh)).expect(403);
  });

  it('a scope (grant) change ends the token', async () => {
    const u = await f.user('evaluator', { associationIds: [assoc1, assoc2] });
    await me(u.token).expect(200);
    await patch(u.id, { associationIds: [assoc2] }).expect(200);
    await me(u.token).expect(401);
    const fresh = await login(t, u.email, PASSWORD);
    await t.http().get(`/api/v1/associations/${assoc1}`).set(bearer(fresh)).expect(403);
    await t.http().get(`/api/v1/associations/${assoc2}`).set(bearer(fresh)).expect(200);
  });

  it('a change of display name alone keeps the token', async () => {
    const u = await f.user('board', { associationIds: [assoc1] });
    await patch(u.id, { displayName: 'Styrelsens ordförande' }).expect(200);
    await me(u.token).expect(200);
  });

  it('a role change must come with grants that fit the new role (400, nothing changed, token kept)', async () => {
    const u = await f.user('evaluator', { associationIds: [assoc1] });
    const res = await patch(u.id, { role: 'coordinator' }).expect(400);
    expect(res.body.details).toContainEqual(expect.objectContaining({ field: 'interventionIds' }));
    await me(u.token).expect(200);
    const moved = await patch(u.id, {
      role: 'coordinator',
      associationIds: [],
      interventionIds: [interventionId],
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      role: 'coordinator',
      interventionIds: [interventionId],
      associationIds: [],
    });
  });

  it('refuses a token signed without a version (issued before versions existed)', async () => {
    const u = await f.user('evaluator', { associationIds: [assoc1] });
    const legacy = await t.app.get(JwtService).signAsync({ sub: u.id }, { expiresIn: 600 });
    await me(legacy).expect(401);
    const wrongVersion = await t.app.get(JwtService).signAsync({ sub: u.id, ver: 7 }, { expiresIn: 600 });
    await me(wrongVersion).expect(401);
  });

  describe('password policy (NIST 800-63B): 400 naming password and the reason, nothing written', () => {
    const email = () => `${unique('weak')}@test.uppfoljning.se`;
    it.each([
      ['eleven characters', 'Kort-lösen1', /at least 12 characters/],
      ['one character repeated', 'aaaaaaaaaaaa', /repeats one character/],
      ['twelve spaces', '            ', /repeats one character/],
      ['a common password with digits', 'password1234', /too easy to guess|most common/],
      ['a keyboard row', 'qwertyuiop123', /too easy to guess|most common/],
      ['a trivial sequence', 'abcdefghijklm', /too easy to guess/],
      ['a list password', 'baseball1234', /too easy to guess|most common/],
    ])('refuses %s on create', async (_label, password, reason) => {
      const address = email();
      const res = await t
        .http()
        .post('/api/v1/users')
        .set(bearer(f.adminToken))
        .send({ email: address, password, role: 'evaluator', associationIds: [assoc1] })
        .expect(400);
      expect(res.body.details).toEqual([{ field: 'password', message: expect.stringMatching(reason) }]);
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM app_user WHERE email = $1`, [address]);
      expect(n).toBe(0);
    });

    it('refuses the email itself, and its local part', async () => {
      const address = email();
      for (const password of [address, `${address.split('@')[0]}-2024`]) {
        const res = await t
          .http()
          .post('/api/v1/users')
          .set(bearer(f.adminToken))
          .send({ email: address, password, role: 'evaluator', associationIds: [assoc1] })
          .expect(400);
        expect(res.body.details).toEqual([
          { field: 'password', message: 'must not contain your email address' },
        ]);
      }
    });

    it('refuses a weak new password on update, and keeps the old password and token', async () => {
      const u = await f.user('evaluator', { associationIds: [assoc1] });
      for (const password of ['password1234', u.email, '            ']) {
        const res = await patch(u.id, { password }).expect(400);
        expect(res.body.details).toEqual([{ field: 'password', message: expect.any(String) }]);
      }
      // A password cannot be removed: null is refused (it used to reach the policy check and answer 500).
      const removed = await patch(u.id, { password: null }).expect(400);
      expect(removed.body.details).toContainEqual({
        field: 'password',
        message: 'must not be null (leave the field out to keep it)',
      });
      expect(removed.body.details.every((d: { field: string }) => d.field === 'password')).toBe(true);
      await me(u.token).expect(200);
      await login(t, u.email, PASSWORD);
    });
  });
});

describe('the last active admin', () => {
  let t: TestApp;
  let own: Awaited<ReturnType<typeof useOwnDatabase>>;

  beforeAll(async () => {
    own = await useOwnDatabase();
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    await own.drop();
  });

  it('can be neither deactivated nor demoted (409 naming the field); another admin can, once there are two', async () => {
    const token = await login(t, ADMIN.email, ADMIN.password);
    const [{ id }] = await t.db.query(`SELECT id FROM app_user WHERE email = $1`, [ADMIN.email]);
    const patch = (userId: string, body: object, as = token) =>
      t.http().patch(`/api/v1/users/${userId}`).set(bearer(as)).send(body);

    const off = await patch(id, { active: false }).expect(409);
    expect(off.body.details).toEqual([
      { field: 'active', message: 'the last active admin cannot be deactivated' },
    ]);
    const association = await t
      .http()
      .post('/api/v1/associations')
      .set(bearer(token))
      .send({ name: unique('F') });
    const demoted = await patch(id, { role: 'board', associationIds: [association.body.id] }).expect(409);
    expect(demoted.body.details).toEqual([
      { field: 'role', message: 'the last active admin cannot be given another role' },
    ]);
    await t.http().get('/api/v1/auth/me').set(bearer(token)).expect(200);

    // With a second active admin, the first may step down; then the second is the last one.
    const email = `${unique('admin')}@test.uppfoljning.se`;
    const second = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(token))
      .send({ email, password: PASSWORD, role: 'admin' })
      .expect(201);
    await patch(id, { active: false }).expect(200);
    const secondToken = await login(t, email, PASSWORD);
    await patch(second.body.id, { active: false }, secondToken).expect(409);
    await patch(id, { active: true }, secondToken).expect(200);
  });
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
}

/** A login sent from a given local address (127.0.0.x are all this machine), as a second client would. */
function loginFrom(port: number, localAddress: string, body: object): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('login limit per account (Redis)', () => {
  let t: TestApp;
  let port: number;

  const start = async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  };
  beforeAll(start);
  afterAll(() => t.close());

  it('counts attempts across two client addresses and an app restart, then 429 with Retry-After', async () => {
    const f = await Fixtures.create(t);
    const association = await f.association();
    const victim = await f.user('evaluator', { associationIds: [association.id] });
    const bystander = await f.user('evaluator', { associationIds: [association.id] });
    const wrong = { email: victim.email, password: 'not-the-password-at-all' };
    const limit = 10; // LOGIN_ACCOUNT_ATTEMPT_LIMIT's default

    for (let i = 0; i < limit / 2; i++) expect((await loginFrom(port, '127.0.0.1', wrong)).status).toBe(401);
    for (let i = 0; i < limit / 2 - 1; i++)
      expect((await loginFrom(port, '127.0.0.2', wrong)).status).toBe(401);

    // The app restarts: the count lives in Redis, so it goes on where it was.
    await t.close();
    await start();
    expect((await loginFrom(port, '127.0.0.3', wrong)).status).toBe(401); // the limit-th attempt
    const locked = await loginFrom(port, '127.0.0.2', { email: victim.email, password: PASSWORD });
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Another account from the same addresses is not affected; the email's letter case does not matter.
    expect((await loginFrom(port, '127.0.0.2', { email: bystander.email, password: PASSWORD })).status).toBe(
      200,
    );
    const upper = { email: victim.email.toUpperCase(), password: PASSWORD };
    expect((await loginFrom(port, '127.0.0.1', upper)).status).toBe(429);
  });

  it('a successful login clears the count', async () => {
    const f = await Fixtures.create(t);
    const association = await f.association();
    const u = await f.user('board', { associationIds: [association.id] });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++)
        expect(
          (await loginFrom(port, '127.0.0.1', { email: u.email, password: 'wrong-password-guess' })).status,
        ).toBe(401);
      expect((await loginFrom(port, '127.0.0.1', { email: u.email, password: PASSWORD })).status).toBe(200);
    }
  });

  it('limits unknown emails the same way, so the answer tells nothing about which accounts exist', async () => {
    const body = { email: `${unique('nobody')}@test.uppfoljning.se`, password: 'whatever-guess-1' };
    for (let i = 0; i < 10; i++) expect((await loginFrom(port, '127.0.0.1', body)).status).toBe(401);
    expect((await loginFrom(port, '127.0.0.1', body)).status).toBe(429);
  });
});

describe('the bootstrap admin password', () => {
  it('is held to the password policy: a production start with a guessable one is refused', async () => {
    const own = await useOwnDatabase();
    const saved = { env: process.env.NODE_ENV, password: process.env.BOOTSTRAP_ADMIN_PASSWORD };
    process.env.NODE_ENV = 'production';
    process.env.BOOTSTRAP_ADMIN_PASSWORD = 'password1234';
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await expect(app.init()).rejects.toThrow(
        /BOOTSTRAP_ADMIN_PASSWORD is one of the most common passwords/,
      );
    } finally {
      await app.close();
      process.env.NODE_ENV = saved.env;
      process.env.BOOTSTRAP_ADMIN_PASSWORD = saved.password;
      await own.drop();
    }
  });
});
