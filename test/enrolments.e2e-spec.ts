import { bearer, Fixtures, unique, validEnrolment } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';

describe('enrolments and exits', () => {
  let t: TestApp;
  let f: Fixtures;
  let interventionId: string;
  let associationId: string;
  let coordinator: { id: string; token: string };

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
    associationId = (await f.association()).id;
    interventionId = (
      await f.intervention(associationId, { startsOn: '2023-01-01', municipalities: ['0136', '0138'] })
    ).id;
    coordinator = await f.user('coordinator', { interventionIds: [interventionId] });
  });
  afterAll(() => t.close());

  const post = (body: unknown, token = coordinator.token) =>
    t
      .http()
      .post(`/api/v1/interventions/${interventionId}/enrolments`)
      .set(bearer(token))
      .send(body as object);
  const countRows = async (sql: string, params: unknown[]) => (await t.db.query(sql, params))[0].n as number;
  const enrolmentsOfCode = (code: string) =>
    countRows(
      `SELECT count(*)::int AS n FROM enrolment e JOIN participant p ON p.id = e.participant_id WHERE p.code = $1`,
      [code],
    );

  describe('happy path', () => {
    it('registers an enrolment, stores the age band only, and answers 201 with the record', async () => {
      const body = validEnrolment({
        age: 23,
        ageBand: undefined,
        incomeSupportAtStart: ['social_assistance', 'activity_compensation'],
      });
      const res = await post(body).expect(201);
      expect(res.body).toMatchObject({
        interventionId,
        participantCode: body.participantCode,
        status: 'open',
        startedOn: '2024-02-01',
        referringParty: 'social_services',
        gender: 'woman',
        ageBand: '21-24',
        municipality: '0136',
        educationLevel: 'compulsory',
        incomeSupportAtStart: ['social_assistance', 'activity_compensation'],
        exitedOn: null,
        exitReason: null,
      });
      const [row] = await t.db.query(`SELECT age_band, started_on::text AS s FROM enrolment WHERE id = $1`, [
        res.body.id,
      ]);
      expect(row).toEqual({ age_band: '21-24', s: '2024-02-01' });
      const columns = await t.db.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'enrolment'`,
      );
      expect(columns.map((c: { column_name: string }) => c.column_name)).not.toContain('age');
    });

    it('exits an enrolment, lists it by status, and reads it back', async () => {
      const { id } = await f.enrol(coordinator.token, interventionId);
      const res = await t
        .http()
        .post(`/api/v1/enrolments/${id}/exit`)
        .set(bearer(coordinator.token))
        .send({ exitedOn: '2024-09-30', exitReason: 'studies', incomeSupportAtExit: ['student_aid'] })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'exited',
        exitedOn: '2024-09-30',
        exitReason: 'studies',
        exitCategory: 'work_or_studies',
      });

      const exited = await t
        .http()
        .get(`/api/v1/interventions/${interventionId}/enrolments?status=exited&pageSize=500`)
        .set(bearer(coordinator.token))
        .expect(200);
      expect(exited.body.items.map((e: { id: string }) => e.id)).toContain(id);
      expect(exited.body.items.every((e: { status: string }) => e.status === 'exited')).toBe(true);
      const open = await t
        .http()
        .get(`/api/v1/interventions/${interventionId}/enrolments?status=open&pageSize=500`)
        .set(bearer(coordinator.token))
        .expect(200);
      expect(open.body.items.map((e: { id: string }) => e.id)).not.toContain(id);
      await t.http().get(`/api/v1/enrolments/${id}`).set(bearer(coordinator.token)).expect(200);
    });

    it('pages the list with total, page and pageSize', async () => {
      const other = (await f.intervention(associationId)).id;
      for (let i = 0; i < 3; i++) await f.enrol(f.adminToken, other);
      const res = await t
        .http()
        .get(`/api/v1/interventions/${other}/enrolments?page=2&pageSize=2`)
        .set(bearer(f.adminToken))
        .expect(200);
      expect(res.body).toMatchObject({ page: 2, pageSize: 2, total: 3 });
      expect(res.body.items).toHaveLength(1);
      // A page past the end still tells how many there are; an insats without enrolments answers 0.
      const past = await t
        .http()
        .get(`/api/v1/interventions/${other}/enrolments?page=3&pageSize=2`)
        .set(bearer(f.adminToken))
        .expect(200);
      expect(past.body).toMatchObject({ items: [], page: 3, pageSize: 2, total: 3 });
      const empty = (await f.intervention(associationId)).id;
      const none = await t
        .http()
        .get(`/api/v1/interventions/${empty}/enrolments`)
        .set(bearer(f.adminToken))
        .expect(200);
      expect(none.body).toMatchObject({ items: [], page: 1, total: 0 });
    });

    it('orders the list newest start first, then by participant code, the same on every page', async () => {
      const other = (await f.intervention(associationId)).id;
      // Registered in an order that is neither by start nor by code; three share the newest start.
      const given = [
        ['ORD-C', '2024-03-01'],
        ['ORD-E', '2024-01-15'],
        ['ORD-A', '2024-03-01'],
        ['ORD-D', '2024-02-10'],
        ['ORD-B', '2024-03-01'],
        ['ORD-F', '2024-01-15'],
      ];
      for (const [participantCode, startedOn] of given)
        await f.enrol(f.adminToken, other, { participantCode, startedOn });
      const page = async (n: number, size: number) =>
        (
          await t
            .http()
            .get(`/api/v1/interventions/${other}/enrolments?page=${n}&pageSize=${size}`)
            .set(bearer(f.adminToken))
            .expect(200)
        ).body as { items: { participantCode: string }[]; total: number };
      const expected = ['ORD-A', 'ORD-B', 'ORD-C', 'ORD-D', 'ORD-E', 'ORD-F'];
      expect((await page(1, 10)).items.map((e) => e.participantCode)).toEqual(expected);
      // Pages of two cut through the tied starts (2024-03-01, then 2024-01-15): together they are the whole list.
      const pages = await Promise.all([1, 2, 3].map((n) => page(n, 2)));
      expect(pages.flatMap((p) => p.items.map((e) => e.participantCode))).toEqual(expected);
      expect(pages.map((p) => p.total)).toEqual([6, 6, 6]);
      const second = await page(2, 1);
      expect(second.items.map((e) => e.participantCode)).toEqual(['ORD-B']);
    });

    it("keeps each enrolment's copy of its participant's record key, however the row is written", async () => {
      const other = (await f.intervention(associationId)).id;
      const first = await f.enrol(f.adminToken, other, { participantCode: 'KEY-A' });
      await f.enrol(f.adminToken, other, { participantCode: 'KEY-B' });
      const keyOf = async (enrolmentId: string) =>
        (
          await t.db.query(
            `SELECT e.participant_key::text AS copy, p.disclosure_key::text AS own
               FROM enrolment e JOIN participant p ON p.id = e.participant_id WHERE e.id = $1`,
            [enrolmentId],
          )
        )[0] as { copy: string; own: string };
      // Registered with a new participant (written in the same statement as the enrolment).
      expect((await keyOf(first.id)).copy).toBe((await keyOf(first.id)).own);
      // Moved to another participant by a correction.
      await t
        .http()
        .patch(`/api/v1/enrolments/${first.id}`)
        .set(bearer(f.adminToken))
        .send({ participantCode: 'KEY-C' })
        .expect(200);
      const moved = await keyOf(first.id);
      const [{ key }] = await t.db.query(
        `SELECT disclosure_key::text AS key FROM participant WHERE association_id = $1 AND code = 'KEY-C'`,
        [associationId],
      );
      expect(moved).toEqual({ copy: key, own: key });
      // Written directly, the copy is put right; a participant's key, should it change, reaches its enrolments.
      await t.db.query(`UPDATE enrolment SET participant_key = 1 WHERE id = $1`, [first.id]);
      expect((await keyOf(first.id)).copy).toBe(key);
      await t.db.query(
        `UPDATE participant SET disclosure_key = 12345 WHERE association_id = $1 AND code = 'KEY-C'`,
        [associationId],
      );
      expect(await keyOf(first.id)).toEqual({ copy: '12345', own: '12345' });
      const [{ off }] = await t.db.query(
        `SELECT count(*)::int AS off FROM enrolment e JOIN participant p ON p.id = e.participant_id
          WHERE e.participant_key <> p.disclosure_key`,
      );
      expect(off).toBe(0);
    });

    it('corrects fields with PATCH and can reopen a wrongly exited enrolment', async () => {
      const { id } = await f.enrol(coordinator.token, interventionId);
      await t
        .http()
        .patch(`/api/v1/enrolments/${id}`)
        .set(bearer(coordinator.token))
        .send({ gender: 'man', age: 45, municipality: '0138' })
        .expect(200);
      await t
        .http()
        .post(`/api/v1/enrolments/${id}/exit`)
        .set(bearer(coordinator.token))
        .send({ exitedOn: '2024-05-01', exitReason: 'work' })
        .expect(200);
      const fixed = await t
        .http()
        .patch(`/api/v1/enrolments/${id}`)
        .set(bearer(coordinator.token))
        .send({ exitReason: 'municipal_programme' })
        .expect(200);
      expect(fixed.body).toMatchObject({
        gender: 'man',
        ageBand: '40-49',
        municipality: '0138',
        exitReason: 'municipal_programme',
        exitCategory: 'ordinary_intervention',
      });
      const reopened = await t
        .http()
        .patch(`/api/v1/enrolments/${id}`)
        .set(bearer(coordinator.token))
        .send({ exitedOn: null, exitReason: null })
        .expect(200);
      expect(reopened.body).toMatchObject({
        status: 'open',
        exitedOn: null,
        exitReason: null,
        incomeSupportAtExit: null,
      });
    });

    it('withdraws a registration error with DELETE: gone from lists, kept in the audit log', async () => {
      const { id, participantCode } = await f.enrol(coordinator.token, interventionId);
      await t.http().delete(`/api/v1/enrolments/${id}`).set(bearer(coordinator.token)).expect(204);
      await t.http().get(`/api/v1/enrolments/${id}`).set(bearer(coordinator.token)).expect(404);
      const list = await t
        .http()
        .get(`/api/v1/interventions/${interventionId}/enrolments?participantCode=${participantCode}`)
        .set(bearer(coordinator.token))
        .expect(200);
      expect(list.body.total).toBe(0);
      const audit = await t.db.query(
        `SELECT action, details FROM audit_log WHERE entity_id = $1 ORDER BY id`,
        [id],
      );
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['create', 'delete']);
      expect(audit[1].details).toEqual({ participantCode, reason: 'registration_error' });
      // The same participant can be enrolled again after the withdrawal.
      await post(validEnrolment({ participantCode })).expect(201);
    });
  });

  describe('bad input answers 400 with the error envelope naming the field, and writes nothing', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['unknown referring party code', { referringParty: 'police' }, 'referringParty'],
      ['unknown gender code', { gender: 'female' }, 'gender'],
      ['unknown age band', { ageBand: '15-17' }, 'ageBand'],
      ['unknown education level', { educationLevel: 'phd' }, 'educationLevel'],
      ['unknown income support code', { incomeSupportAtStart: ['lottery'] }, 'incomeSupportAtStart'],
      ['missing startedOn', { startedOn: undefined }, 'startedOn'],
      ['missing gender', { gender: undefined }, 'gender'],
      ['missing referringParty', { referringParty: undefined }, 'referringParty'],
      ['missing municipality', { municipality: undefined }, 'municipality'],
      ['missing participantCode', { participantCode: undefined }, 'participantCode'],
      ['missing both ageBand and age', { ageBand: undefined }, 'ageBand'],
      ['unknown extra field', { personnummer: 'x' }, 'personnummer'],
      ['wrong date format', { startedOn: '01/02/2024' }, 'startedOn'],
      ['impossible date', { startedOn: '2023-02-29' }, 'startedOn'],
      ['date in the future', { startedOn: '2999-01-01' }, 'startedOn'],
      ['start before the intervention started', { startedOn: '2022-12-31' }, 'startedOn'],
      ['wrong type for age', { ageBand: undefined, age: '23' }, 'age'],
      ['age below 16', { ageBand: undefined, age: 15 }, 'age'],
      ['age above 66', { ageBand: undefined, age: 67 }, 'age'],
      ['both age and ageBand', { age: 30, ageBand: '30-39' }, 'age'],
      ['unknown municipality code', { municipality: '9999' }, 'municipality'],
      ['malformed municipality code', { municipality: '136' }, 'municipality'],
      ['personnummer with century and dash', { participantCode: '19850412-1234' }, 'participantCode'],
      ['personnummer without century, with dash', { participantCode: '850412-1234' }, 'participantCode'],
      ['personnummer without separator', { participantCode: '8504121234' }, 'participantCode'],
      ['personnummer with century, no separator', { participantCode: '198504121234' }, 'participantCode'],
      ['personnummer with plus (over 100 years)', { participantCode: '210412+1234' }, 'participantCode'],
      ['samordningsnummer (day + 60)', { participantCode: '850472-1234' }, 'participantCode'],
      ['samordningsnummer with century', { participantCode: '198504721234' }, 'participantCode'],
      ['personnummer inside a code', { participantCode: 'P-850412-1234' }, 'participantCode'],
    ];

    it.each(cases)('%s', async (_name, change, field) => {
      const body = validEnrolment(change);
      for (const [k, v] of Object.entries(change)) if (v === undefined) delete body[k];
      const before = await countRows(`SELECT count(*)::int AS n FROM enrolment`, []);
      const res = await post(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(typeof res.body.message).toBe('string');
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await countRows(`SELECT count(*)::int AS n FROM enrolment`, [])).toBe(before);
    });

    it('lists the accepted codes in the message for an unknown code', async () => {
      const res = await post(validEnrolment({ referringParty: 'police' })).expect(400);
      expect(res.body.details).toContainEqual({
        field: 'referringParty',
        message: expect.stringContaining('must be one of: employment_service, social_insurance'),
      });
    });

    it('rejects a personnummer in free text (intervention description)', async () => {
      const res = await t
        .http()
        .post('/api/v1/interventions')
        .set(bearer(f.adminToken))
        .send({
          associationId,
          name: 'Insats',
          startsOn: '2024-01-01',
          municipalities: ['0136'],
          description: 'Deltagare 19850412-1234 ringde',
        })
        .expect(400);
      expect(res.body.details).toContainEqual(expect.objectContaining({ field: 'description' }));
    });

    it('rejects an unknown list status and a pageSize over 500', async () => {
      const a = await t
        .http()
        .get(`/api/v1/interventions/${interventionId}/enrolments?status=closed`)
        .set(bearer(coordinator.token))
        .expect(400);
      expect(a.body.details).toContainEqual(expect.objectContaining({ field: 'status' }));
      const b = await t
        .http()
        .get(`/api/v1/interventions/${interventionId}/enrolments?pageSize=501`)
        .set(bearer(coordinator.token))
        .expect(400);
      expect(b.body.details).toContainEqual(expect.objectContaining({ field: 'pageSize' }));
    });

    it('answers 400 naming the id for a malformed id and 404 for an unknown one', async () => {
      const bad = await t
        .http()
        .get('/api/v1/enrolments/not-an-id')
        .set(bearer(coordinator.token))
        .expect(400);
      expect(bad.body.details).toEqual([{ field: 'id', message: 'must be an id (UUID)' }]);
      await t
        .http()
        .get('/api/v1/enrolments/00000000-0000-4000-8000-000000000000')
        .set(bearer(coordinator.token))
        .expect(404);
      await post(validEnrolment()).expect(201);
      await t
        .http()
        .post('/api/v1/interventions/00000000-0000-4000-8000-000000000000/enrolments')
        .set(bearer(f.adminToken))
        .send(validEnrolment())
        .expect(404);
    });
  });

  describe('conflicts and exits', () => {
    it('answers 409 for a second open enrolment of the same participant, and writes nothing', async () => {
      const code = unique('DUP');
      await post(validEnrolment({ participantCode: code })).expect(201);
      const res = await post(validEnrolment({ participantCode: code, startedOn: '2024-03-01' })).expect(409);
      expect(res.body).toMatchObject({
        statusCode: 409,
        error: 'Conflict',
        details: [{ field: 'participantCode' }],
      });
      expect(await enrolmentsOfCode(code)).toBe(1);
    });

    it('allows the same participant again once the first enrolment is exited', async () => {
      const code = unique('AGAIN');
      const first = await post(validEnrolment({ participantCode: code })).expect(201);
      await t
        .http()
        .post(`/api/v1/enrolments/${first.body.id}/exit`)
        .set(bearer(coordinator.token))
        .send({ exitedOn: '2024-03-01', exitReason: 'moved' })
        .expect(200);
      await post(validEnrolment({ participantCode: code, startedOn: '2024-06-01' })).expect(201);
      expect(await enrolmentsOfCode(code)).toBe(2);
    });

    it('answers 409 when exiting an already exited enrolment', async () => {
      const { id } = await f.enrol(coordinator.token, interventionId);
      const exit = (body: object) =>
        t.http().post(`/api/v1/enrolments/${id}/exit`).set(bearer(coordinator.token)).send(body);
      await exit({ exitedOn: '2024-04-01', exitReason: 'work' }).expect(200);
      const res = await exit({ exitedOn: '2024-05-01', exitReason: 'studies' }).expect(409);
      expect(res.body.details).toEqual([
        { field: 'exitedOn', message: 'the enrolment was already exited on 2024-04-01' },
      ]);
      const [row] = await t.db.query(
        `SELECT exited_on::text AS d, exit_reason FROM enrolment WHERE id = $1`,
        [id],
      );
      expect(row).toEqual({ d: '2024-04-01', exit_reason: 'work' });
    });

    const exitCases: [string, Record<string, unknown>, string][] = [
      ['exitedOn before startedOn', { exitedOn: '2024-01-31', exitReason: 'work' }, 'exitedOn'],
      ['unknown exit reason', { exitedOn: '2024-04-01', exitReason: 'lottery_win' }, 'exitReason'],
      [
        'registration_error is not an exit reason',
        { exitedOn: '2024-04-01', exitReason: 'registration_error' },
        'exitReason',
      ],
      ['missing exitReason', { exitedOn: '2024-04-01' }, 'exitReason'],
      ['impossible exit date', { exitedOn: '2024-04-31', exitReason: 'work' }, 'exitedOn'],
      ['exit date in the future', { exitedOn: '2999-04-01', exitReason: 'work' }, 'exitedOn'],
      [
        'unknown income support at exit',
        { exitedOn: '2024-04-01', exitReason: 'work', incomeSupportAtExit: ['bonus'] },
        'incomeSupportAtExit',
      ],
      ['unknown extra field', { exitedOn: '2024-04-01', exitReason: 'work', comment: 'x' }, 'comment'],
    ];
    it.each(exitCases)('exit: %s → 400 and the enrolment stays open', async (_name, body, field) => {
      const { id } = await f.enrol(coordinator.token, interventionId);
      const res = await t
        .http()
        .post(`/api/v1/enrolments/${id}/exit`)
        .set(bearer(coordinator.token))
        .send(body)
        .expect(400);
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      const [row] = await t.db.query(`SELECT exited_on, exit_reason FROM enrolment WHERE id = $1`, [id]);
      expect(row).toEqual({ exited_on: null, exit_reason: null });
    });

    it('rejects a PATCH that would put exitedOn before startedOn, leaving the row unchanged', async () => {
      const { id } = await f.enrol(coordinator.token, interventionId);
      await t
        .http()
        .post(`/api/v1/enrolments/${id}/exit`)
        .set(bearer(coordinator.token))
        .send({ exitedOn: '2024-04-01', exitReason: 'work' })
        .expect(200);
      const res = await t
        .http()
        .patch(`/api/v1/enrolments/${id}`)
        .set(bearer(coordinator.token))
        .send({ startedOn: '2024-05-01', gender: 'man' })
        .expect(400);
      expect(res.body.details).toContainEqual(expect.objectContaining({ field: 'exitedOn' }));
      const [row] = await t.db.query(`SELECT started_on::text AS s, gender FROM enrolment WHERE id = $1`, [
        id,
      ]);
      expect(row).toEqual({ s: '2024-02-01', gender: 'woman' });
    });

    it('rejects exit fields in a PATCH of an open enrolment, and half a reopening', async () => {
      const { id } = await f.enrol(coordinator.token, interventionId);
      const a = await t
        .http()
        .patch(`/api/v1/enrolments/${id}`)
        .set(bearer(coordinator.token))
        .send({ exitReason: 'work' })
        .expect(400);
      expect(a.body.details).toContainEqual(expect.objectContaining({ field: 'exitReason' }));
      await t
        .http()
        .post(`/api/v1/enrolments/${id}/exit`)
        .set(bearer(coordinator.token))
        .send({ exitedOn: '2024-04-01', exitReason: 'work' })
        .expect(200);
      const b = await t
        .http()
        .patch(`/api/v1/enrolments/${id}`)
        .set(bearer(coordinator.token))
        .send({ exitedOn: null })
        .expect(400);
      expect(b.body.details).toContainEqual(expect.objectContaining({ field: 'exitReason' }));
    });

    it('refuses to reopen when the participant has another open enrolment (409)', async () => {
      const code = unique('REOPEN');
      const first = await post(validEnrolment({ participantCode: code })).expect(201);
      await t
        .http()
        .post(`/api/v1/enrolments/${first.body.id}/exit`)
        .set(bearer(coordinator.token))
        .send({ exitedOn: '2024-03-01', exitReason: 'work' })
        .expect(200);
      await post(validEnrolment({ participantCode: code, startedOn: '2024-06-01' })).expect(201);
      const res = await t
        .http()
        .patch(`/api/v1/enrolments/${first.body.id}`)
        .set(bearer(coordinator.token))
        .send({ exitedOn: null, exitReason: null })
        .expect(409);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'exitedOn' })]);
      expect(await enrolmentsOfCode(code)).toBe(2);
    });

    it('refuses to move an enrolment to a participant with an open one (409 on participantCode)', async () => {
      const taken = unique('TAKEN');
      await post(validEnrolment({ participantCode: taken })).expect(201);
      const other = await post(validEnrolment({ participantCode: unique('MOVE') })).expect(201);
      const res = await t
        .http()
        .patch(`/api/v1/enrolments/${other.body.id}`)
        .set(bearer(coordinator.token))
        .send({ participantCode: taken })
        .expect(409);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'participantCode' })]);
      expect(await enrolmentsOfCode(taken)).toBe(1);
    });

    it('registers one of two simultaneous enrolments of a new participant and answers 409 to the other', async () => {
      const code = unique('RACE');
      const answers = await Promise.all([
        post(validEnrolment({ participantCode: code })),
        post(validEnrolment({ participantCode: code })),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(answers.find((r) => r.status === 409)!.body.details).toEqual([
        expect.objectContaining({ field: 'participantCode' }),
      ]);
      expect(await enrolmentsOfCode(code)).toBe(1);
    });
  });

  describe('transactions', () => {
    it('leaves no participant row behind when the enrolment is rejected after the participant was written', async () => {
      const code = unique('TX');
      await post(validEnrolment({ participantCode: code })).expect(201);
      // A new code in a conflicting request: the participant insert happens inside the rolled-back transaction.
      const otherIntervention = (await f.intervention(associationId, { startsOn: '2023-01-01' })).id;
      const coord2 = await f.user('coordinator', { interventionIds: [otherIntervention] });
      const fresh = unique('TXFRESH');
      await t
        .http()
        .post(`/api/v1/interventions/${otherIntervention}/enrolments`)
        .set(bearer(coord2.token))
        .send(validEnrolment({ participantCode: fresh, municipality: '9999' }))
        .expect(400);
      expect(await countRows(`SELECT count(*)::int AS n FROM participant WHERE code = $1`, [fresh])).toBe(0);
    });

    it('rolls back the enrolment when its audit row cannot be written', async () => {
      const code = unique('AUDITFAIL');
      // Make the audit insert fail for this one request only, by a check constraint added for the test.
      await t.db.query(
        `ALTER TABLE audit_log ADD CONSTRAINT test_block CHECK (details->>'participantCode' IS DISTINCT FROM '${code}') NOT VALID`,
      );
      try {
        const res = await post(validEnrolment({ participantCode: code }));
        expect(res.status).toBeGreaterThanOrEqual(400);
      } finally {
        await t.db.query(`ALTER TABLE audit_log DROP CONSTRAINT test_block`);
      }
      expect(await enrolmentsOfCode(code)).toBe(0);
      expect(await countRows(`SELECT count(*)::int AS n FROM participant WHERE code = $1`, [code])).toBe(0);
    });
  });

  describe('audit log', () => {
    it('records actor, time, entity, action and changed fields for every write, with no participant attributes', async () => {
      const { id, participantCode } = await f.enrol(coordinator.token, interventionId);
      await t
        .http()
        .patch(`/api/v1/enrolments/${id}`)
        .set(bearer(coordinator.token))
        .send({ gender: 'unspecified' })
        .expect(200);
      await t
        .http()
        .post(`/api/v1/enrolments/${id}/exit`)
        .set(bearer(coordinator.token))
        .send({ exitedOn: '2024-04-01', exitReason: 'work' })
        .expect(200);
      await t.http().delete(`/api/v1/enrolments/${id}`).set(bearer(coordinator.token)).expect(204);
      const rows = await t.db.query(
        `SELECT actor_user_id, actor_role, action, entity_type, intervention_id, association_id, changed_fields, details, occurred_at
           FROM audit_log WHERE entity_id = $1 ORDER BY id`,
        [id],
      );
      expect(rows.map((r: { action: string }) => r.action)).toEqual(['create', 'update', 'exit', 'delete']);
      for (const r of rows) {
        expect(r).toMatchObject({
          actor_user_id: coordinator.id,
          actor_role: 'coordinator',
          entity_type: 'enrolment',
          intervention_id: interventionId,
          association_id: associationId,
        });
        expect(r.occurred_at).toBeInstanceOf(Date);
        expect(r.details.participantCode).toBe(participantCode);
        expect(JSON.stringify(r.details)).not.toMatch(/woman|unspecified|social_assistance|0136/);
      }
      expect(rows[1].changed_fields).toEqual(['gender']);
      expect(rows[2].changed_fields).toEqual(['exitedOn', 'exitReason']);
    });

    it('records admin writes to associations, interventions, goals and users', async () => {
      const a = await f.association();
      const i = await f.intervention(a.id);
      await t
        .http()
        .put(`/api/v1/interventions/${i.id}/goals/2025`)
        .set(bearer(f.adminToken))
        .send({ participants: 100 })
        .expect(200);
      const u = await f.user('board', { associationIds: [a.id] });
      const actions = await t.db.query(
        `SELECT entity_type, action FROM audit_log WHERE entity_id IN ($1, $2, $3, $4) ORDER BY id`,
        [a.id, i.id, `${i.id}:2025`, u.id],
      );
      expect(actions).toEqual([
        { entity_type: 'association', action: 'create' },
        { entity_type: 'intervention', action: 'create' },
        { entity_type: 'intervention_goal', action: 'update' },
        { entity_type: 'user', action: 'create' },
        { entity_type: 'user', action: 'login' },
      ]);
    });
  });
});
