import { bearer, Fixtures, unique } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';

describe('associations, interventions, goals and reference data', () => {
  let t: TestApp;
  let f: Fixtures;
  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
  });
  afterAll(() => t.close());
  const admin = () => bearer(f.adminToken);

  it('creates an association with its fields and default disclosure threshold', async () => {
    const orgNo = `2220${String(Date.now()).slice(-2)}-${String(Math.floor(Math.random() * 9000) + 1000)}`;
    const res = await t
      .http()
      .post('/api/v1/associations')
      .set(admin())
      .send({ name: 'Samordningsförbundet Test', organisationNumber: orgNo, county: 'Stockholms län' })
      .expect(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      name: 'Samordningsförbundet Test',
      organisationNumber: orgNo,
      county: 'Stockholms län',
      disclosureThreshold: 3,
    });
    const dup = await t
      .http()
      .post('/api/v1/associations')
      .set(admin())
      .send({ name: 'Other', organisationNumber: orgNo })
      .expect(409);
    expect(dup.body.details).toContainEqual(expect.objectContaining({ field: 'organisationNumber' }));
  });

  it.each([
    ['missing name', {}, 'name'],
    ['empty name', { name: '   ' }, 'name'],
    ['bad organisation number', { name: 'X', organisationNumber: '12345' }, 'organisationNumber'],
    ['threshold below 2', { name: 'X', disclosureThreshold: 1 }, 'disclosureThreshold'],
    ['unknown field', { name: 'X', budget: 1 }, 'budget'],
    ['personnummer in the name', { name: 'Förbund 850412-1234' }, 'name'],
  ])('association: %s → 400', async (_n, body, field) => {
    const res = await t.http().post('/api/v1/associations').set(admin()).send(body).expect(400);
    expect(res.body.details).toContainEqual(expect.objectContaining({ field }));
  });

  it('adds member organisations, requiring a municipality code for municipalities', async () => {
    const a = await f.association();
    await t
      .http()
      .post(`/api/v1/associations/${a.id}/members`)
      .set(admin())
      .send({ kind: 'municipality', name: 'Haninge kommun', municipality: '0136' })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/associations/${a.id}/members`)
      .set(admin())
      .send({ kind: 'social_insurance', name: 'Försäkringskassan' })
      .expect(201);
    const bad = await t
      .http()
      .post(`/api/v1/associations/${a.id}/members`)
      .set(admin())
      .send({ kind: 'municipality', name: 'X kommun' })
      .expect(400);
    expect(bad.body.details).toContainEqual(expect.objectContaining({ field: 'municipality' }));
    const list = await t.http().get(`/api/v1/associations/${a.id}/members`).set(admin()).expect(200);
    expect(list.body.map((m: { kind: string }) => m.kind).sort()).toEqual([
      'municipality',
      'social_insurance',
    ]);
  });

  it('creates an intervention with municipalities and lists it', async () => {
    const a = await f.association();
    const name = unique('Unga till arbete');
    const res = await t
      .http()
      .post('/api/v1/interventions')
      .set(admin())
      .send({
        associationId: a.id,
        name,
        startsOn: '2024-01-01',
        endsOn: '2026-12-31',
        municipalities: ['0138', '0136'],
        description: 'Ungdomsteam',
      })
      .expect(201);
    expect(res.body).toMatchObject({
      associationId: a.id,
      name,
      startsOn: '2024-01-01',
      endsOn: '2026-12-31',
      municipalities: ['0136', '0138'],
      description: 'Ungdomsteam',
    });
    const list = await t.http().get(`/api/v1/interventions?associationId=${a.id}`).set(admin()).expect(200);
    expect(list.body.map((i: { id: string }) => i.id)).toEqual([res.body.id]);
  });

  it.each([
    ['unknown association', { associationId: '00000000-0000-4000-8000-000000000009' }, 'associationId'],
    ['endsOn before startsOn', { endsOn: '2023-12-31' }, 'endsOn'],
    ['no municipalities', { municipalities: [] }, 'municipalities'],
    ['unknown municipality', { municipalities: ['0000'] }, 'municipalities'],
    ['impossible date', { startsOn: '2024-02-30' }, 'startsOn'],
    ['missing name', { name: undefined }, 'name'],
  ])('intervention: %s → 400', async (_n, change, field) => {
    const a = await f.association();
    const body: Record<string, unknown> = {
      associationId: a.id,
      name: 'X',
      startsOn: '2024-01-01',
      municipalities: ['0136'],
      ...change,
    };
    for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
    const res = await t.http().post('/api/v1/interventions').set(admin()).send(body).expect(400);
    expect(res.body.details).toContainEqual(expect.objectContaining({ field }));
  });

  it('sets goals per intervention and year, and replaces them on a second PUT', async () => {
    const a = await f.association();
    const i = await f.intervention(a.id);
    const res = await t
      .http()
      .put(`/api/v1/interventions/${i.id}/goals/2025`)
      .set(admin())
      .send({
        participants: 275,
        newParticipants: 120,
        shareWorkOrStudies: 0.4,
        shareOrdinaryIntervention: 0.15,
      })
      .expect(200);
    expect(res.body).toEqual({
      interventionId: i.id,
      year: 2025,
      participants: 275,
      newParticipants: 120,
      shareWorkOrStudies: 0.4,
      shareOrdinaryIntervention: 0.15,
    });
    await t
      .http()
      .put(`/api/v1/interventions/${i.id}/goals/2025`)
      .set(admin())
      .send({ participants: 300 })
      .expect(200);
    const got = await t.http().get(`/api/v1/interventions/${i.id}/goals/2025`).set(admin()).expect(200);
    expect(got.body).toMatchObject({ participants: 300, newParticipants: null, shareWorkOrStudies: null });
    // A year without goals answers them all null; an insats that does not exist, 404.
    const none = await t.http().get(`/api/v1/interventions/${i.id}/goals/2026`).set(admin()).expect(200);
    expect(none.body).toEqual({
      interventionId: i.id,
      year: 2026,
      participants: null,
      newParticipants: null,
      shareWorkOrStudies: null,
      shareOrdinaryIntervention: null,
    });
    await t
      .http()
      .get(`/api/v1/interventions/00000000-0000-4000-8000-000000000000/goals/2025`)
      .set(admin())
      .expect(404);
  });

  it.each([
    ['share above 1', { shareWorkOrStudies: 1.2 }, 'shareWorkOrStudies'],
    ['negative count', { participants: -1 }, 'participants'],
    ['fractional count', { newParticipants: 2.5 }, 'newParticipants'],
    ['share as a string', { shareOrdinaryIntervention: '0.2' }, 'shareOrdinaryIntervention'],
  ])('goals: %s → 400', async (_n, body, field) => {
    const a = await f.association();
    const i = await f.intervention(a.id);
    const res = await t
      .http()
      .put(`/api/v1/interventions/${i.id}/goals/2025`)
      .set(admin())
      .send(body)
      .expect(400);
    expect(res.body.details).toContainEqual(expect.objectContaining({ field }));
  });

  it('rejects a goal year out of range', async () => {
    const a = await f.association();
    const i = await f.intervention(a.id);
    const res = await t
      .http()
      .put(`/api/v1/interventions/${i.id}/goals/20x5`)
      .set(admin())
      .send({ participants: 1 })
      .expect(400);
    expect(res.body.details).toEqual([{ field: 'year', message: 'must be a year between 1990 and 2100' }]);
  });

  it('serves all 290 municipalities', async () => {
    const res = await t.http().get('/api/v1/municipalities').set(admin()).expect(200);
    expect(res.body).toHaveLength(290);
    expect(res.body).toContainEqual({ code: '0136', name: 'Haninge', countyCode: '01' });
  });
});
