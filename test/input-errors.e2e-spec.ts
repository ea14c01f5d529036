import { JwtService } from '@nestjs/jwt';
import { bearer, Fixtures, validEnrolment, ADMIN } from './helpers/fixtures';
import { expectRefused } from './helpers/envelope';
import { createTestApp, type TestApp } from './helpers/test-app';

/**
 * Issue 8, one test per cause found by the probe: each sends exactly that input and expects a clear 4xx in
 * the envelope with a correlation id, and nothing written.
 */
describe('bad input gets a clear 4xx, never a 500', () => {
  let t: TestApp;
  let f: Fixtures;
  let associationId: string;
  let interventionId: string;
  let coordinator: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
    associationId = (await f.association()).id;
    interventionId = (
      await f.intervention(associationId, { municipalities: ['0136', '0138'], startsOn: '2020-01-01' })
    ).id;
    coordinator = (await f.user('coordinator', { interventionIds: [interventionId] })).token;
  });
  afterAll(() => t.close());

  const admin = () => bearer(f.adminToken);
  const count = async (table: string): Promise<number> =>
    (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  describe('body-parser and framework errors', () => {
    const big = JSON.stringify({ email: 'a@b.se', password: 'x'.repeat(110 * 1024) });

    it('a body over 100 kB → 413, also unauthenticated on login', async () => {
      const res = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send(big);
      expectRefused(res, 413, 'body');
      expectRefused(
        await t
          .http()
          .post('/api/v1/associations')
          .set(admin())
          .set('content-type', 'application/json')
          .send(big),
        413,
      );
    });

    it('content-type application/json; charset=latin1 → 415', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .set('content-type', 'application/json; charset=latin1')
        .send(JSON.stringify({ email: 'a@b.se', password: 'x' }));
      expectRefused(res, 415, 'body');
    });

    it('content-encoding: gzip on a plain body → 415', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .set('content-type', 'application/json')
        .set('content-encoding', 'gzip')
        .send(JSON.stringify({ email: 'a@b.se', password: 'x' }));
      expectRefused(res, 415, 'body');
    });

    it('over 1,000 url-encoded parameters → 413', async () => {
      const body = Array.from({ length: 1200 }, (_, i) => `p${i}=1`).join('&');
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .set('content-type', 'application/x-www-form-urlencoded')
        .send(body);
      expectRefused(res, 413, 'body');
    });

    it('JSON nested 6,000 deep (36 kB) → 400, also on login, before validation', async () => {
      const deep = '{"a":'.repeat(6000) + '1' + '}'.repeat(6000);
      expect(deep.length).toBeLessThan(100 * 1024);
      for (const path of ['/api/v1/auth/login', '/api/v1/associations']) {
        const res = await t.http().post(path).set(admin()).set('content-type', 'application/json').send(deep);
        expectRefused(res, 400, 'body');
      }
      const arrays = `{"email":${'['.repeat(6000)}${']'.repeat(6000)}}`;
      expectRefused(
        await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send(arrays),
        400,
      );
    });

    it('malformed JSON → 400 with the envelope', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .set('content-type', 'application/json')
        .send('{"email": ');
      expectRefused(res, 400);
    });

    it('echoes a well-formed x-correlation-id given by the caller', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .set('x-correlation-id', 'caller-chosen-id-123')
        .set('content-type', 'application/json; charset=latin1')
        .send('{}');
      expect(res.headers['x-correlation-id']).toBe('caller-chosen-id-123');
      expect(res.body.correlationId).toBe('caller-chosen-id-123');
    });
  });

  describe('text values', () => {
    it('a NUL byte in the login email → 400', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ email: 'a\u0000@b.se', password: 'x' });
      expectRefused(res, 400, 'email');
    });

    it('a NUL byte in a name, a participant code filter or an export name → 400, nothing written', async () => {
      const before = await count('association');
      expectRefused(
        await t.http().post('/api/v1/associations').set(admin()).send({ name: 'Förbund\u0000X' }),
        400,
        'name',
      );
      expect(await count('association')).toBe(before);
      expectRefused(
        await t
          .http()
          .get(`/api/v1/interventions/${interventionId}/enrolments`)
          .query({ participantCode: 'A\u0000B' })
          .set(admin()),
        400,
        'participantCode',
      );
      const exportsBefore = await count('report_export');
      expectRefused(
        await t
          .http()
          .post('/api/v1/reports/exports')
          .set(admin())
          .send({
            target: {
              type: 'association',
              id: associationId,
              interventionIds: [interventionId],
              name: 'A\u0000',
            },
            period: '2024',
            format: 'csv',
          }),
        400,
        'target.name',
      );
      expect(await count('report_export')).toBe(exportsBefore);
    });

    it('a lone surrogate in a name → 400, nothing written', async () => {
      const before = await count('audit_log');
      expectRefused(
        await t.http().post('/api/v1/associations').set(admin()).send({ name: 'Förbund \ud800' }),
        400,
        'name',
      );
      expectRefused(
        await t
          .http()
          .post('/api/v1/interventions')
          .set(admin())
          .send({
            associationId,
            name: 'Insats',
            startsOn: '2024-01-01',
            municipalities: ['0136'],
            description: 'x\udc00',
          }),
        400,
        'description',
      );
      expect(await count('audit_log')).toBe(before);
    });

    it('control characters are refused in single-line text; descriptions keep line breaks', async () => {
      expectRefused(
        await t.http().post('/api/v1/associations').set(admin()).send({ name: 'Rad ett\nRad två' }),
        400,
        'name',
      );
      const res = await t
        .http()
        .post('/api/v1/interventions')
        .set(admin())
        .send({
          associationId,
          name: 'Insats med beskrivning',
          startsOn: '2024-01-01',
          municipalities: ['0136'],
          description: 'Rad ett\nRad två\tmed tab',
        });
      expect(res.status).toBe(201);
      expect(res.body.description).toBe('Rad ett\nRad två\tmed tab');
    });

    it('stores text as NFC', async () => {
      const res = await t
        .http()
        .post('/api/v1/associations')
        .set(admin())
        .send({ name: 'Fo\u0308rbund NFC' });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('F\u00f6rbund NFC');
    });

    it('a text over its length limit → 400 naming the field', async () => {
      expectRefused(
        await t
          .http()
          .post('/api/v1/associations')
          .set(admin())
          .send({ name: 'x'.repeat(201) }),
        400,
        'name',
      );
    });
  });

  describe('null, missing and out-of-range values', () => {
    it('null for a required field in PATCH /enrolments/:id → 400 naming it, nothing written', async () => {
      const e = await f.enrol(coordinator, interventionId);
      const before = await count('audit_log');
      for (const field of [
        'participantCode',
        'startedOn',
        'referringParty',
        'gender',
        'ageBand',
        'age',
        'municipality',
        'educationLevel',
        'incomeSupportAtStart',
      ]) {
        const res = await t
          .http()
          .patch(`/api/v1/enrolments/${e.id}`)
          .set(bearer(coordinator))
          .send({ [field]: null });
        expectRefused(res, 400, field);
      }
      expect(await count('audit_log')).toBe(before);
    });

    it('null for a user field in PATCH /users/:id → 400 naming it', async () => {
      const user = await f.user('board', { associationIds: [associationId] });
      for (const field of ['active', 'displayName', 'associationIds', 'interventionIds']) {
        expectRefused(
          await t
            .http()
            .patch(`/api/v1/users/${user.id}`)
            .set(admin())
            .send({ [field]: null }),
          400,
          field,
        );
      }
    });

    it('ageBand: null and age: null on registration → 400', async () => {
      for (const extra of [{ ageBand: null }, { ageBand: undefined, age: null }]) {
        const res = await t
          .http()
          .post(`/api/v1/interventions/${interventionId}/enrolments`)
          .set(bearer(coordinator))
          .send(validEnrolment(extra));
        expectRefused(
          res,
          400,
          Object.keys(extra).find((k) => (extra as Record<string, unknown>)[k] === null),
        );
      }
    });

    it('POST /reports/exports without target → 400 naming target', async () => {
      const res = await t
        .http()
        .post('/api/v1/reports/exports')
        .set(admin())
        .send({ period: '2024', format: 'csv' });
      expectRefused(res, 400, 'target');
    });

    it('a signed token whose sub is not a UUID → 401', async () => {
      const forged = new JwtService({ secret: process.env.JWT_SECRET }).sign({ sub: 'not-a-uuid' });
      expectRefused(await t.http().get('/api/v1/associations').set(bearer(forged)), 401);
      const numeric = new JwtService({ secret: process.env.JWT_SECRET }).sign({ sub: 42 });
      expectRefused(await t.http().get('/api/v1/associations').set(bearer(numeric)), 401);
    });

    it('an intervention starting or ending in year 0013 → 400 naming the field, nothing written', async () => {
      const before = await count('intervention');
      const base = { associationId, name: 'Forntida insats', municipalities: ['0136'] };
      expectRefused(
        await t
          .http()
          .post('/api/v1/interventions')
          .set(admin())
          .send({ ...base, startsOn: '0013-01-01' }),
        400,
        'startsOn',
      );
      expectRefused(
        await t
          .http()
          .post('/api/v1/interventions')
          .set(admin())
          .send({ ...base, startsOn: '2024-01-01', endsOn: '0013-12-31' }),
        400,
        'endsOn',
      );
      expectRefused(
        await t
          .http()
          .post('/api/v1/interventions')
          .set(admin())
          .send({ ...base, startsOn: '2101-01-01' }),
        400,
        'startsOn',
      );
      expect(await count('intervention')).toBe(before);
    });

    it('an enrolment before 1990 → 400 naming startedOn, not an internal constraint', async () => {
      const res = await t
        .http()
        .post(`/api/v1/interventions/${interventionId}/enrolments`)
        .set(bearer(coordinator))
        .send(validEnrolment({ startedOn: '1989-12-31' }));
      expectRefused(res, 400, 'startedOn');
      expect(JSON.stringify(res.body)).not.toContain('aggregation_dirty');
    });
  });

  describe('typed query strings', () => {
    it('?interventions[]=<id> is refused, not ignored', async () => {
      const res = await t
        .http()
        .get(`/api/v1/reports/associations/${associationId}?period=2024&interventions[]=${interventionId}`)
        .set(admin());
      expectRefused(res, 400, 'interventions[]');
    });

    it('a goal share in exponent form (found by the fuzz test) is a 400, not a crash in the validator', async () => {
      for (const share of [-9e-323, 9e-323, 1e-7]) {
        const res = await t
          .http()
          .put(`/api/v1/interventions/${interventionId}/goals/2025`)
          .set(admin())
          .send({ shareWorkOrStudies: share });
        expectRefused(res, 400, 'shareWorkOrStudies');
      }
    });

    it('/goals/2025.0 is refused, not taken as 2025', async () => {
      expectRefused(
        await t.http().get(`/api/v1/interventions/${interventionId}/goals/2025.0`).set(admin()),
        400,
        'year',
      );
      expectRefused(
        await t.http().get(`/api/v1/interventions/${interventionId}/goals/+2025`).set(admin()),
        400,
        'year',
      );
    });

    it('a repeated parameter is refused', async () => {
      const res = await t
        .http()
        .get(`/api/v1/reports/interventions/${interventionId}?period=2024&period=2025`)
        .set(admin());
      expectRefused(res, 400, 'period');
      expectRefused(
        await t
          .http()
          .get(`/api/v1/interventions?associationId=${associationId}&associationId=${associationId}`)
          .set(admin()),
        400,
        'associationId',
      );
    });

    it('an unknown parameter is refused, on DTO routes and on routes without a query', async () => {
      expectRefused(
        await t
          .http()
          .get(`/api/v1/reports/interventions/${interventionId}?period=2024&perod=2025`)
          .set(admin()),
        400,
        'perod',
      );
      expectRefused(await t.http().get('/api/v1/associations?limit=5').set(admin()), 400, 'limit');
      expectRefused(
        await t.http().get(`/api/v1/interventions?associationid=${associationId}`).set(admin()),
        400,
        'associationid',
      );
    });
  });

  describe('domain checks', () => {
    it('a municipality outside the insats list → 400 naming municipality (registration and correction)', async () => {
      const res = await t
        .http()
        .post(`/api/v1/interventions/${interventionId}/enrolments`)
        .set(bearer(coordinator))
        .send(validEnrolment({ municipality: '0180' }));
      expectRefused(res, 400, 'municipality');
      const e = await f.enrol(coordinator, interventionId, { municipality: '0138' });
      expectRefused(
        await t
          .http()
          .patch(`/api/v1/enrolments/${e.id}`)
          .set(bearer(coordinator))
          .send({ municipality: '0180' }),
        400,
        'municipality',
      );
    });

    it('income-support lists: none or unspecified with anything else → 400', async () => {
      for (const list of [
        ['none', 'salary'],
        ['unspecified', 'social_assistance'],
        ['none', 'unspecified'],
      ]) {
        const res = await t
          .http()
          .post(`/api/v1/interventions/${interventionId}/enrolments`)
          .set(bearer(coordinator))
          .send(validEnrolment({ incomeSupportAtStart: list }));
        expectRefused(res, 400, 'incomeSupportAtStart');
      }
      const e = await f.enrol(coordinator, interventionId, { startedOn: '2024-01-10' });
      expectRefused(
        await t
          .http()
          .post(`/api/v1/enrolments/${e.id}/exit`)
          .set(bearer(coordinator))
          .send({ exitedOn: '2024-06-01', exitReason: 'work', incomeSupportAtExit: ['salary', 'none'] }),
        400,
        'incomeSupportAtExit',
      );
      // Each alone, and honest combinations, are fine.
      await f.enrol(coordinator, interventionId, { incomeSupportAtStart: ['none'] });
      await f.enrol(coordinator, interventionId, { incomeSupportAtStart: ['salary', 'social_assistance'] });
    });

    it('an empty PATCH, or one that changes nothing, is a no-op: 200, unchanged body, no audit row', async () => {
      const e = await f.enrol(coordinator, interventionId);
      const audits = () =>
        t.db
          .query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1`, [e.id])
          .then((r) => r[0].n as number);
      const before = await audits();
      const current = (await t.http().get(`/api/v1/enrolments/${e.id}`).set(bearer(coordinator))).body;
      const empty = await t.http().patch(`/api/v1/enrolments/${e.id}`).set(bearer(coordinator)).send({});
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual(current);
      const same = await t.http().patch(`/api/v1/enrolments/${e.id}`).set(bearer(coordinator)).send({
        participantCode: current.participantCode,
        gender: current.gender,
        age: 19, // the same band, 19-20
        incomeSupportAtStart: current.incomeSupportAtStart,
      });
      expect(same.status).toBe(200);
      expect(same.body).toEqual(current);
      expect(await audits()).toBe(before);
      // A real change still writes its audit row.
      await t
        .http()
        .patch(`/api/v1/enrolments/${e.id}`)
        .set(bearer(coordinator))
        .send({ gender: 'man' })
        .expect(200);
      expect(await audits()).toBe(before + 1);
    });
  });

  it('the login still works for a normal body (the parsers do not refuse honest requests)', async () => {
    await t.http().post('/api/v1/auth/login').send(ADMIN).expect(200);
    const form = await t
      .http()
      .post('/api/v1/auth/login')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(`email=${encodeURIComponent(ADMIN.email)}&password=${encodeURIComponent(ADMIN.password)}`);
    expect(form.status).toBe(200);
  });
});
