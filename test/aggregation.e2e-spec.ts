import type { INestApplicationContext } from '@nestjs/common';
import { bearer, Fixtures, validEnrolment } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

describe('reports from the background aggregation', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let f: Fixtures;
  let associationId: string;
  let a: string;
  let b: string;
  let coordinator: { token: string };
  let evaluator: { token: string };

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
    associationId = (await f.association()).id;
    a = (await f.intervention(associationId, { startsOn: '2023-01-01' })).id;
    b = (await f.intervention(associationId, { startsOn: '2023-06-01' })).id;
    coordinator = await f.user('coordinator', { interventionIds: [a, b] });
    evaluator = await f.user('evaluator', { associationIds: [associationId] });
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const report = (path: string, period: string) =>
    t.http().get(`/api/v1/reports/${path}?period=${period}`).set(bearer(evaluator.token));
  const freshReport = async (
    path: string,
    period: string,
    accept: (body: Record<string, any>) => boolean = () => true,
  ) =>
    (
      await eventually(
        () => report(path, period),
        (res) => res.status === 200 && res.body.fresh && accept(res.body),
      )
    ).body;

  it('shows an enrolment and its exit in the intervention and association reports once the job has run', async () => {
    const enrol = (body: Record<string, unknown>, id = a) =>
      t
        .http()
        .post(`/api/v1/interventions/${id}/enrolments`)
        .set(bearer(coordinator.token))
        .send(validEnrolment(body))
        .expect(201);
    const first = await enrol({
      participantCode: 'AGG-1',
      startedOn: '2024-02-01',
      gender: 'woman',
      incomeSupportAtStart: ['social_assistance'],
    });
    await enrol({
      participantCode: 'AGG-2',
      startedOn: '2024-03-31',
      gender: 'man',
      referringParty: 'employment_service',
    });
    // The same person in the other intervention: two participations, one person at association level.
    await enrol({ participantCode: 'AGG-1', startedOn: '2024-05-01', gender: 'woman' }, b);

    const q1 = await freshReport(`interventions/${a}`, '2024-Q1', (body) => body.new.total === 2);
    expect(q1.scope).toMatchObject({ type: 'intervention', id: a });
    expect(q1.period).toEqual({ code: '2024-Q1', start: '2024-01-01', end: '2024-03-31' });
    expect(q1.active).toEqual({ woman: 1, man: 1, unspecified: 0, total: 2 });
    expect(q1.new).toEqual({ woman: 1, man: 1, unspecified: 0, total: 2 });
    expect(q1.newByReferringParty.employment_service).toEqual({ woman: 0, man: 1, unspecified: 0, total: 1 });
    expect(q1.newByReferringParty.school).toEqual({ woman: 0, man: 0, unspecified: 0, total: 0 });
    expect(q1.exited.total).toBe(0);
    expect(q1.shareWorkOrStudies).toEqual({ woman: null, man: null, unspecified: null, total: null });
    expect(typeof q1.asOf).toBe('string');

    await t
      .http()
      .post(`/api/v1/enrolments/${first.body.id}/exit`)
      .set(bearer(coordinator.token))
      .send({ exitedOn: '2024-06-30', exitReason: 'work', incomeSupportAtExit: ['salary'] })
      .expect(200);

    const q2 = await freshReport(`interventions/${a}`, '2024-Q2', (body) => body.exited.total === 1);
    expect(q2.exitsByReason.work).toEqual({ woman: 1, man: 0, unspecified: 0, total: 1 });
    expect(q2.shareWorkOrStudies).toEqual({ woman: 1, man: null, unspecified: null, total: 1 });
    expect(q2.socialAssistance).toEqual({ atStart: 1, atExit: 0 });
    expect(q2.medianDaysEnrolled).toBe(150); // 2024-02-01 → 2024-06-30
    expect(q2.exitsByMunicipalityAndReason['0136'].work).toBe(1);

    const year = await freshReport(
      `associations/${associationId}`,
      '2024',
      (body) => body.active.total === 3,
    );
    expect(year.scope).toMatchObject({ type: 'association', id: associationId });
    expect(year.active.total).toBe(3);
    expect(year.persons.active).toBe(2);
    expect(year.exited.total).toBe(1);
  });

  it('removes a registration error from the numbers', async () => {
    const res = await t
      .http()
      .post(`/api/v1/interventions/${b}/enrolments`)
      .set(bearer(coordinator.token))
      .send(validEnrolment({ participantCode: 'AGG-ERR', startedOn: '2024-08-15' }))
      .expect(201);
    await freshReport(`interventions/${b}`, '2024-Q3', (body) => body.new.total === 1);
    await t.http().delete(`/api/v1/enrolments/${res.body.id}`).set(bearer(coordinator.token)).expect(204);
    const after = await freshReport(`interventions/${b}`, '2024-Q3', (body) => body.new.total === 0);
    expect(after.active.total).toBe(1); // AGG-1 in b, still open
  });

  it('recomputes every year between start and exit when an exit is registered years later', async () => {
    const res = await t
      .http()
      .post(`/api/v1/interventions/${a}/enrolments`)
      .set(bearer(coordinator.token))
      .send(validEnrolment({ participantCode: 'AGG-LONG', startedOn: '2023-03-01', gender: 'unspecified' }))
      .expect(201);
    await freshReport(`interventions/${a}`, '2025', (body) => body.active.unspecified === 1);
    await t
      .http()
      .post(`/api/v1/enrolments/${res.body.id}/exit`)
      .set(bearer(coordinator.token))
      .send({ exitedOn: '2024-01-31', exitReason: 'studies' })
      .expect(200);
    const y2025 = await freshReport(`interventions/${a}`, '2025', (body) => body.active.unspecified === 0);
    expect(y2025.active.unspecified).toBe(0);
    const y2023 = await freshReport(`interventions/${a}`, '2023');
    expect(y2023.active.unspecified).toBe(1);
    const y2024 = await freshReport(`interventions/${a}`, '2024-Q1');
    expect(y2024.exitsByReason.studies.unspecified).toBe(1);
  });

  it('shows goals with pro-rated targets and the same period a year earlier', async () => {
    await t
      .http()
      .put(`/api/v1/interventions/${a}/goals/2024`)
      .set(bearer(f.adminToken))
      .send({ participants: 20, newParticipants: 8, shareWorkOrStudies: 0.5 })
      .expect(200);
    const h1 = await freshReport(`interventions/${a}`, '2024-H1');
    const days = 182 / 366; // 2024-01-01..2024-06-30 of a leap year
    expect(h1.goals).toEqual([
      {
        metric: 'participants',
        target: Math.round(20 * days * 1e4) / 1e4,
        fullYearTarget: 20,
        actual: h1.active.total,
        attainment: expect.any(Number),
      },
      {
        metric: 'new_participants',
        target: Math.round(8 * days * 1e4) / 1e4,
        fullYearTarget: 8,
        actual: h1.new.total,
        attainment: expect.any(Number),
      },
      {
        metric: 'share_work_or_studies',
        target: 0.5,
        fullYearTarget: 0.5,
        actual: h1.shareWorkOrStudies.total,
        attainment: h1.shareWorkOrStudies.total / 0.5,
      },
    ]);
    expect(h1.previousYear.period).toEqual({ code: '2023-H1', start: '2023-01-01', end: '2023-06-30' });
    expect(h1.previousYear.active.unspecified).toBe(1); // AGG-LONG started 2023-03-01
  });

  it('answers 400 for a bad period and a period before the intervention started', async () => {
    for (const period of ['2024-Q5', '24', 'yesterday']) {
      const res = await report(`interventions/${a}`, period).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'period' })]);
    }
    await report(`interventions/${a}`, '').expect(400);
    const early = await report(`interventions/${a}`, '2022').expect(400);
    expect(early.body.details[0].message).toContain('2023-01-01');
  });

  it('limits reports to evaluators and admins in scope', async () => {
    await t
      .http()
      .get(`/api/v1/reports/interventions/${a}?period=2024`)
      .set(bearer(coordinator.token))
      .expect(403);
    const board = await f.user('board', { associationIds: [associationId] });
    const masked = await t
      .http()
      .get(`/api/v1/reports/interventions/${a}?period=2024`)
      .set(bearer(board.token))
      .expect(200);
    expect(masked.body.disclosureControl).toEqual({ threshold: 3 });
    const other = await f.user('evaluator', { associationIds: [(await f.association()).id] });
    await t.http().get(`/api/v1/reports/interventions/${a}?period=2024`).set(bearer(other.token)).expect(403);
    await t
      .http()
      .get(`/api/v1/reports/associations/${associationId}?period=2024`)
      .set(bearer(other.token))
      .expect(403);
    await t
      .http()
      .get(`/api/v1/reports/interventions/${a}?period=2024`)
      .set(bearer(f.adminToken))
      .expect(200);
  });

  it('reports aggregation status, and an admin can queue a full rebuild', async () => {
    const status = await t.http().get('/api/v1/aggregation/status').set(bearer(evaluator.token)).expect(200);
    expect(status.body).toEqual({
      pending: expect.any(Number),
      oldestPendingSince: null,
      lastCompletedAt: expect.any(String),
      lastRebuildAt: status.body.lastRebuildAt,
      lastRebuildFailures: expect.any(Array),
      queue: null, // the queue holds every association's work: its counts are for admins
    });
    const forAdmin = await t.http().get('/api/v1/aggregation/status').set(bearer(f.adminToken)).expect(200);
    expect(forAdmin.body.queue).toEqual(
      expect.objectContaining({ waiting: expect.any(Number), active: expect.any(Number) }),
    );
    await t.db.query(`INSERT INTO aggregation_run (kind, started_at, finished_at, enrolments, results)
                      VALUES ('recompute', now() - interval '200 days', now() - interval '200 days', 0, 0)`);
    await t.http().post('/api/v1/aggregation/rebuild').set(bearer(evaluator.token)).expect(403);
    await t.http().post('/api/v1/aggregation/rebuild').set(bearer(f.adminToken)).expect(202);
    // The rebuild also prunes the run log beyond 90 days. (Waiting for the pruning itself: another test
    // file may run a rebuild of its own in the same database at any moment.)
    await eventually(
      () =>
        t.db.query(
          `SELECT (SELECT count(*)::int FROM aggregation_run WHERE finished_at < now() - interval '90 days') AS old,
                  (SELECT count(*)::int FROM aggregation_run WHERE kind = 'rebuild') AS rebuilds`,
        ),
      (rows) => rows[0].old === 0 && rows[0].rebuilds > 0,
    );
    await t.http().get('/api/v1/aggregation/status').set(bearer(coordinator.token)).expect(403);
  });
});
