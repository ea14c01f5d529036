import { ADMIN, bearer, Fixtures, PASSWORD, unique } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';

describe('auth and users', () => {
  let t: TestApp;
  let f: Fixtures;
  let associationId: string;
  let interventionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
    associationId = (await f.association()).id;
    interventionId = (await f.intervention(associationId)).id;
  });
  afterAll(() => t.close());

  describe('login', () => {
    it('returns a bearer token for the bootstrap admin, whose password is stored as an argon2id hash', async () => {
      const res = await t.http().post('/api/v1/auth/login').send(ADMIN).expect(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
      const me = await t.http().get('/api/v1/auth/me').set(bearer(res.body.accessToken)).expect(200);
      expect(me.body).toMatchObject({ email: ADMIN.email, role: 'admin' });
      const [row] = await t.db.query(`SELECT password_hash FROM app_user WHERE email = $1`, [ADMIN.email]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
    });

    it('gives the same 401 for a wrong password and an unknown email', async () => {
      const wrong = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: ADMIN.email, password: 'wrong-password' })
        .expect(401);
      const unknown = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@test.uppfoljning.se', password: 'wrong-password' })
        .expect(401);
      expect(wrong.body).toEqual({ ...unknown.body, correlationId: wrong.body.correlationId });
      expect(wrong.body.message).toBe('Wrong email or password');
    });

    it('accepts the email in any letter case', async () => {
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: ADMIN.email.toUpperCase(), password: ADMIN.password })
        .expect(200);
    });

    it('rejects a login body with missing or extra fields (400)', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ email: ADMIN.email }).expect(400);
      expect(res.body.details).toContainEqual(expect.objectContaining({ field: 'password' }));
      const extra = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ ...ADMIN, remember: true })
        .expect(400);
      expect(extra.body.details).toContainEqual({ field: 'remember', message: 'is not an allowed field' });
    });
  });

  describe('creating users', () => {
    const create = (body: object) => t.http().post('/api/v1/users').set(bearer(f.adminToken)).send(body);

    it('creates users of every role with their scopes', async () => {
      for (const [role, grants] of [
        ['coordinator', { interventionIds: [interventionId] }],
        ['evaluator', { associationIds: [associationId] }],
        ['board', { associationIds: [associationId] }],
        ['admin', {}],
      ] as const) {
        const email = `${unique(role)}@test.uppfoljning.se`;
        const res = await create({ email, password: PASSWORD, role, ...grants }).expect(201);
        const noGrants: Record<string, string[]> = { associationIds: [], interventionIds: [] };
        expect(res.body).toMatchObject({ email, role, active: true, ...noGrants, ...grants });
        expect(res.body).not.toHaveProperty('passwordHash');
      }
    });

    it.each([
      ['unknown role', { role: 'superuser' }, 'role'],
      ['bad email', { email: 'not-an-email' }, 'email'],
      ['short password', { password: 'short' }, 'password'],
      ['coordinator without interventions', { role: 'coordinator', interventionIds: [] }, 'interventionIds'],
      [
        'coordinator scoped to an association',
        {
          role: 'coordinator',
          interventionIds: ['00000000-0000-4000-8000-000000000001'],
          associationIds: [],
        },
        'interventionIds',
      ],
      ['evaluator without associations', { role: 'evaluator' }, 'associationIds'],
      [
        'board with interventions',
        { role: 'board', associationIds: [], interventionIds: [] },
        'associationIds',
      ],
      [
        'unknown association id',
        { role: 'evaluator', associationIds: ['00000000-0000-4000-8000-000000000001'] },
        'associationIds',
      ],
      ['malformed id', { role: 'evaluator', associationIds: ['abc'] }, 'associationIds'],
      [
        'admin with a scope',
        { role: 'admin', associationIds: ['00000000-0000-4000-8000-000000000001'] },
        'associationIds',
      ],
    ])('%s → 400 naming the field', async (_name, change, field) => {
      const body = {
        email: `${unique('u')}@test.uppfoljning.se`,
        password: PASSWORD,
        role: 'evaluator',
        ...change,
      };
      const res = await create(body).expect(400);
      expect(res.body.details).toContainEqual(expect.objectContaining({ field }));
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM app_user WHERE email = $1`, [
        body.email.toLowerCase(),
      ]);
      expect(n).toBe(0);
    });

    it('answers 409 for an email that exists (in any case)', async () => {
      const res = await create({
        email: ADMIN.email.toUpperCase(),
        password: PASSWORD,
        role: 'admin',
      }).expect(409);
      expect(res.body.details).toEqual([
        { field: 'email', message: 'a user with this email already exists' },
      ]);
    });
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  const previous = process.env.LOGIN_RATE_LIMIT_PER_MINUTE;
  const previousPrefix = process.env.REDIS_PREFIX;
  beforeAll(async () => {
    process.env.LOGIN_RATE_LIMIT_PER_MINUTE = '3';
    // The address counter lives in Redis: a prefix of its own, so other files' logins do not count here.
    process.env.REDIS_PREFIX = `${previousPrefix}-address-limit`;
    t = await createTestApp();
  });
  afterAll(async () => {
    process.env.LOGIN_RATE_LIMIT_PER_MINUTE = previous;
    process.env.REDIS_PREFIX = previousPrefix;
    await t.close();
  });

  it('answers 429 after the allowed attempts per minute, in the error envelope', async () => {
    for (let i = 0; i < 3; i++)
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'x@y.se', password: 'guess-' + i })
        .expect(401);
    const res = await t.http().post('/api/v1/auth/login').send(ADMIN).expect(429);
    expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('keeps the address count in Redis, so a restart does not reset it', async () => {
    await t.close();
    t = await createTestApp();
    await t.http().post('/api/v1/auth/login').send(ADMIN).expect(429);
  });
});
