import { createTestApp, type TestApp } from './helpers/test-app';

describe('health and API docs', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  it('answers /health 200 when PostgreSQL and Redis answer', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database.status).toBe('up');
    expect(res.body.details.redis.status).toBe('up');
  });

  it('serves the OpenAPI document with the v1 paths', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/associations',
        '/api/v1/users',
        '/api/v1/interventions',
        '/api/v1/interventions/{id}/goals/{year}',
        '/api/v1/interventions/{id}/enrolments',
        '/api/v1/enrolments/{id}',
        '/api/v1/enrolments/{id}/exit',
      ]),
    );
  });

  it('puts a correlation id on every response', async () => {
    const res = await t
      .http()
      .get('/api/v1/associations')
      .set('x-correlation-id', 'test-correlation-1')
      .expect(401);
    expect(res.headers['x-correlation-id']).toBe('test-correlation-1');
    expect(res.body).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      correlationId: 'test-correlation-1',
    });
  });
});
