import { bearer, Fixtures, login, PASSWORD, validEnrolment } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';

/**
 * Scope is enforced in the queries: a coordinator of insats A can neither read nor change anything of
 * insats B; board members never see participant rows; evaluators cannot write.
 */
describe('access control', () => {
  let t: TestApp;
  let f: Fixtures;
  let assoc1: string;
  let assoc2: string;
  let a: string; // insats A (association 1)
  let b: string; // insats B (association 1, same association as A)
  let c: string; // insats C (association 2)
  let coordA: { token: string };
  let evaluator1: { token: string };
  let board1: { token: string };
  let enrolmentB: string;
  let enrolmentC: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
    assoc1 = (await f.association()).id;
    assoc2 = (await f.association()).id;
    a = (await f.intervention(assoc1)).id;
    b = (await f.intervention(assoc1)).id;
    c = (await f.intervention(assoc2)).id;
    coordA = await f.user('coordinator', { interventionIds: [a] });
    evaluator1 = await f.user('evaluator', { associationIds: [assoc1] });
    board1 = await f.user('board', { associationIds: [assoc1] });
    enrolmentB = (await f.enrol(f.adminToken, b)).id;
    enrolmentC = (await f.enrol(f.adminToken, c)).id;
    await f.enrol(f.adminToken, a);
  });
  afterAll(() => t.close());

  const as = (token: string) => ({
    get: (url: string) => t.http().get(url).set(bearer(token)),
    post: (url: string, body: object = {}) => t.http().post(url).set(bearer(token)).send(body),
    patch: (url: string, body: object) => t.http().patch(url).set(bearer(token)).send(body),
    put: (url: string, body: object) => t.http().put(url).set(bearer(token)).send(body),
    delete: (url: string) => t.http().delete(url).set(bearer(token)),
  });

  describe('a coordinator of insats A on insats B', () => {
    const forbidden = [403, 404];
    it.each([
      ['list B enrolments', (u: ReturnType<typeof as>) => u.get(`/api/v1/interventions/${b}/enrolments`)],
      ['read B intervention', (u: ReturnType<typeof as>) => u.get(`/api/v1/interventions/${b}`)],
      ['read B goals', (u: ReturnType<typeof as>) => u.get(`/api/v1/interventions/${b}/goals/2024`)],
      ['read a B enrolment', (u: ReturnType<typeof as>) => u.get(`/api/v1/enrolments/${enrolmentB}`)],
      [
        'enrol into B',
        (u: ReturnType<typeof as>) => u.post(`/api/v1/interventions/${b}/enrolments`, validEnrolment()),
      ],
      [
        'correct a B enrolment',
        (u: ReturnType<typeof as>) => u.patch(`/api/v1/enrolments/${enrolmentB}`, { gender: 'man' }),
      ],
      [
        'exit a B enrolment',
        (u: ReturnType<typeof as>) =>
          u.post(`/api/v1/enrolments/${enrolmentB}/exit`, { exitedOn: '2024-05-01', exitReason: 'work' }),
      ],
      ['withdraw a B enrolment', (u: ReturnType<typeof as>) => u.delete(`/api/v1/enrolments/${enrolmentB}`)],
      [
        'read an enrolment of another association',
        (u: ReturnType<typeof as>) => u.get(`/api/v1/enrolments/${enrolmentC}`),
      ],
      [
        'exit an enrolment of another association',
        (u: ReturnType<typeof as>) =>
          u.post(`/api/v1/enrolments/${enrolmentC}/exit`, { exitedOn: '2024-05-01', exitReason: 'work' }),
      ],
    ])('cannot %s', async (_name, call) => {
      const res = await call(as(coordA.token));
      expect(forbidden).toContain(res.status);
      expect(res.body.statusCode).toBe(res.status);
    });

    it('leaves B untouched after all those attempts', async () => {
      const [row] = await t.db.query(`SELECT gender, exited_on, removed_at FROM enrolment WHERE id = $1`, [
        enrolmentB,
      ]);
      expect(row).toEqual({ gender: 'woman', exited_on: null, removed_at: null });
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM enrolment WHERE intervention_id = $1`,
        [b],
      );
      expect(n).toBe(1);
    });

    it('sees only insats A in lists', async () => {
      const res = await as(coordA.token).get('/api/v1/interventions').expect(200);
      expect(res.body.map((i: { id: string }) => i.id)).toEqual([a]);
      const assocs = await as(coordA.token).get('/api/v1/associations').expect(200);
      expect(assocs.body.map((x: { id: string }) => x.id)).toEqual([assoc1]);
    });

    it('can work in insats A', async () => {
      const res = await as(coordA.token)
        .post(`/api/v1/interventions/${a}/enrolments`, validEnrolment())
        .expect(201);
      await as(coordA.token)
        .post(`/api/v1/enrolments/${res.body.id}/exit`, { exitedOn: '2024-05-01', exitReason: 'work' })
        .expect(200);
      const list = await as(coordA.token).get(`/api/v1/interventions/${a}/enrolments`).expect(200);
      expect(list.body.total).toBe(2);
    });

    it('cannot do admin work', async () => {
      await as(coordA.token).post('/api/v1/associations', { name: 'X' }).expect(403);
      await as(coordA.token)
        .post('/api/v1/interventions', {
          associationId: assoc1,
          name: 'X',
          startsOn: '2024-01-01',
          municipalities: ['0136'],
        })
        .expect(403);
      await as(coordA.token).put(`/api/v1/interventions/${a}/goals/2024`, { participants: 1 }).expect(403);
      await as(coordA.token)
        .post('/api/v1/users', { email: 'x@y.se', password: 'long-enough-pass', role: 'admin' })
        .expect(403);
      await as(coordA.token).get('/api/v1/users').expect(403);
    });
  });

  describe('board members', () => {
    it('cannot list or read enrolments, even in their own association', async () => {
      await as(board1.token).get(`/api/v1/interventions/${a}/enrolments`).expect(403);
      await as(board1.token).get(`/api/v1/enrolments/${enrolmentB}`).expect(403);
    });
    it('cannot write enrolments', async () => {
      await as(board1.token).post(`/api/v1/interventions/${a}/enrolments`, validEnrolment()).expect(403);
      await as(board1.token)
        .post(`/api/v1/enrolments/${enrolmentB}/exit`, { exitedOn: '2024-05-01', exitReason: 'work' })
        .expect(403);
    });
    it('see the interventions of their association only', async () => {
      const res = await as(board1.token).get('/api/v1/interventions').expect(200);
      expect(res.body.map((i: { id: string }) => i.id).sort()).toEqual([a, b].sort());
    });
  });

  describe('evaluators', () => {
    it('read enrolments in their association', async () => {
      const res = await as(evaluator1.token).get(`/api/v1/interventions/${b}/enrolments`).expect(200);
      expect(res.body.total).toBe(1);
    });
    it('cannot read another association', async () => {
      await as(evaluator1.token).get(`/api/v1/interventions/${c}/enrolments`).expect(403);
      await as(evaluator1.token).get(`/api/v1/enrolments/${enrolmentC}`).expect(403);
      await as(evaluator1.token).get(`/api/v1/associations/${assoc2}`).expect(403);
    });
    it('cannot write', async () => {
      await as(evaluator1.token).post(`/api/v1/interventions/${b}/enrolments`, validEnrolment()).expect(403);
      await as(evaluator1.token).patch(`/api/v1/enrolments/${enrolmentB}`, { gender: 'man' }).expect(403);
      await as(evaluator1.token)
        .post(`/api/v1/enrolments/${enrolmentB}/exit`, { exitedOn: '2024-05-01', exitReason: 'work' })
        .expect(403);
      await as(evaluator1.token).delete(`/api/v1/enrolments/${enrolmentB}`).expect(403);
      await as(evaluator1.token).post('/api/v1/associations', { name: 'X' }).expect(403);
    });
  });

  describe('authentication', () => {
    it('answers 401 without a token and with a bad or forged token', async () => {
      await t.http().get('/api/v1/interventions').expect(401);
      await t.http().get('/api/v1/interventions').set('Authorization', 'Bearer nonsense').expect(401);
      const [, payload] = coordA.token.split('.');
      await t
        .http()
        .get('/api/v1/interventions')
        .set('Authorization', `Bearer eyJhbGciOiJub25lIn0.${payload}.`)
        .expect(401);
    });

    it('stops a deactivated user at once, even with an unexpired token', async () => {
      const u = await f.user('evaluator', { associationIds: [assoc1] });
      await as(u.token).get('/api/v1/interventions').expect(200);
      await as(f.adminToken).patch(`/api/v1/users/${u.id}`, { active: false }).expect(200);
      await as(u.token).get('/api/v1/interventions').expect(401);
    });

    it('applies a withdrawn grant at once: the old token ends, a new one sees the smaller scope', async () => {
      const u = await f.user('coordinator', { interventionIds: [a, b] });
      await as(u.token).get(`/api/v1/interventions/${b}/enrolments`).expect(200);
      await as(f.adminToken)
        .patch(`/api/v1/users/${u.id}`, { interventionIds: [a] })
        .expect(200);
      await as(u.token).get(`/api/v1/interventions/${b}/enrolments`).expect(401);
      const fresh = await login(t, u.email, PASSWORD);
      await as(fresh).get(`/api/v1/interventions/${b}/enrolments`).expect(403);
      await as(fresh).get(`/api/v1/interventions/${a}/enrolments`).expect(200);
    });
  });
});
