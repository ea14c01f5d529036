import { CODE_ONLY_VARIANTS, HONEST_CODES, PERSONAL_NUMBER_VARIANTS } from './fixtures/identifier-corpus';
import { expectRefused } from './helpers/envelope';
import { bearer, Fixtures, PASSWORD, unique, validEnrolment } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';

/**
 * Issue 7: the identifier corpus sent through HTTP in every free-text field of the API. Each variant is
 * refused with a 400 naming the field, and nothing is written; honest codes are accepted.
 */
describe('no identifier gets into any free-text field', () => {
  let t: TestApp;
  let f: Fixtures;
  let associationId: string;
  let interventionId: string;
  let enrolmentId: string;
  let userId: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
    associationId = (await f.association()).id;
    interventionId = (await f.intervention(associationId)).id;
    enrolmentId = (await f.enrol(f.adminToken, interventionId)).id;
    userId = (await f.user('evaluator', { associationIds: [associationId] })).id;
  });
  afterAll(() => t.close());

  const admin = () => bearer(f.adminToken);
  const tables = [
    'association',
    'member_organisation',
    'intervention',
    'participant',
    'enrolment',
    'app_user',
    'report_export',
    'audit_log',
  ];
  const snapshot = async () =>
    Object.fromEntries(
      await Promise.all(
        tables.map(async (table) => [
          table,
          (
            await t.db.query(
              `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS sum FROM ${table} x`,
            )
          )[0],
        ]),
      ),
    );

  /** Every free-text field: how to send a value in it, and the field the 400 must name. */
  const FIELDS: {
    name: string;
    field: string;
    code?: true;
    send: (v: string) => ReturnType<ReturnType<TestApp['http']>['get']>;
  }[] = [
    {
      name: 'POST enrolment participantCode',
      field: 'participantCode',
      code: true,
      send: (v) =>
        t
          .http()
          .post(`/api/v1/interventions/${interventionId}/enrolments`)
          .set(admin())
          .send(validEnrolment({ participantCode: v })),
    },
    {
      name: 'PATCH enrolment participantCode',
      field: 'participantCode',
      code: true,
      send: (v) =>
        t.http().patch(`/api/v1/enrolments/${enrolmentId}`).set(admin()).send({ participantCode: v }),
    },
    {
      name: 'association name',
      field: 'name',
      send: (v) => t.http().post('/api/v1/associations').set(admin()).send({ name: v }),
    },
    {
      name: 'association county',
      field: 'county',
      send: (v) =>
        t
          .http()
          .post('/api/v1/associations')
          .set(admin())
          .send({ name: unique('Förbund'), county: v }),
    },
    {
      name: 'member organisation name',
      field: 'name',
      send: (v) =>
        t
          .http()
          .post(`/api/v1/associations/${associationId}/members`)
          .set(admin())
          .send({ kind: 'region', name: v }),
    },
    {
      name: 'intervention name',
      field: 'name',
      send: (v) =>
        t
          .http()
          .post('/api/v1/interventions')
          .set(admin())
          .send({ associationId, name: v, startsOn: '2024-01-01', municipalities: ['0136'] }),
    },
    {
      name: 'intervention description',
      field: 'description',
      send: (v) =>
        t
          .http()
          .post('/api/v1/interventions')
          .set(admin())
          .send({
            associationId,
            name: unique('Insats'),
            startsOn: '2024-01-01',
            municipalities: ['0136'],
            description: `Anteckning ${v}`,
          }),
    },
    {
      name: 'new user displayName',
      field: 'displayName',
      send: (v) =>
        t
          .http()
          .post('/api/v1/users')
          .set(admin())
          .send({
            email: `${unique('u')}@test.uppfoljning.se`,
            password: PASSWORD,
            role: 'evaluator',
            associationIds: [associationId],
            displayName: v,
          }),
    },
    {
      name: 'user displayName correction',
      field: 'displayName',
      send: (v) => t.http().patch(`/api/v1/users/${userId}`).set(admin()).send({ displayName: v }),
    },
    {
      name: 'export name (file name)',
      field: 'target.name',
      send: (v) =>
        t
          .http()
          .post('/api/v1/reports/exports')
          .set(admin())
          .send({
            target: { type: 'association', id: associationId, interventionIds: [interventionId], name: v },
            period: '2024',
            format: 'csv',
          }),
    },
    {
      name: '?name= of a chosen set',
      field: 'name',
      send: (v) =>
        t
          .http()
          .get(`/api/v1/reports/associations/${associationId}`)
          .query({ period: '2024', interventions: interventionId, name: v })
          .set(admin()),
    },
    {
      name: '?name= of an export download',
      field: 'name',
      send: (v) =>
        t
          .http()
          .get(`/api/v1/reports/associations/${associationId}/export`)
          .query({ period: '2024', format: 'csv', interventions: interventionId, name: v })
          .set(admin()),
    },
  ];

  it(`refuses each of ${PERSONAL_NUMBER_VARIANTS.length} personal-number variants in each of ${FIELDS.length} fields, writing nothing`, async () => {
    const before = await snapshot();
    const accepted: string[] = [];
    for (const { name, field, send } of FIELDS) {
      for (const variant of PERSONAL_NUMBER_VARIANTS) {
        const res = await send(variant);
        if (res.status !== 400) {
          accepted.push(`${name} ${JSON.stringify(variant)} → ${res.status}`);
          continue;
        }
        expectRefused(res, 400, field);
        // The answer never echoes the number.
        expect(JSON.stringify([res.body.message, res.body.details])).not.toContain('1230');
      }
    }
    expect(accepted).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses names, phone numbers and e-mail addresses as participant codes', async () => {
    const accepted: string[] = [];
    for (const { name, field, send } of FIELDS.filter((x) => x.code)) {
      for (const variant of CODE_ONLY_VARIANTS) {
        const res = await send(variant);
        if (res.status !== 400) accepted.push(`${name} ${JSON.stringify(variant)} → ${res.status}`);
        else expectRefused(res, 400, field);
      }
    }
    expect(accepted).toEqual([]);
  });

  it(`accepts ${HONEST_CODES.length} honest codes as participant codes and as names`, async () => {
    for (const code of HONEST_CODES) {
      const res = await t
        .http()
        .post(`/api/v1/interventions/${interventionId}/enrolments`)
        .set(admin())
        .send(validEnrolment({ participantCode: code }));
      expect([res.status, res.body.participantCode]).toEqual([201, code]);
      const named = await t
        .http()
        .post('/api/v1/interventions')
        .set(admin())
        .send({ associationId, name: `Insats ${code}`, startsOn: '2024-01-01', municipalities: ['0136'] });
      expect(named.status).toBe(201);
    }
  });
});
