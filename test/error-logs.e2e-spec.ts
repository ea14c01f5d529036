import { Logger } from '@nestjs/common';
import { bearer, Fixtures, PASSWORD, validEnrolment } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';

/**
 * Issue 7: a failed query is logged with its name and the error code, never its parameters (an argon2 hash
 * and an e-mail address; an enrolment's gender, age band and municipality). The database fails for real:
 * a trigger of this test raises an error on the rows the test sends.
 */
describe('database errors are logged without their parameters', () => {
  let t: TestApp;
  let f: Fixtures;
  let interventionId: string;
  let lines: string[];
  let spies: jest.SpyInstance[];

  beforeAll(async () => {
    t = await createTestApp();
    f = await Fixtures.create(t);
    interventionId = (await f.intervention((await f.association()).id)).id;
    await t.db.query(`
      CREATE FUNCTION test_fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'forced by the test' USING ERRCODE = 'XX001'; END $$;
      CREATE TRIGGER test_fail_user BEFORE INSERT ON app_user FOR EACH ROW
        WHEN (NEW.email LIKE 'fail-%') EXECUTE FUNCTION test_fail_insert();
      CREATE TRIGGER test_fail_enrolment BEFORE INSERT ON enrolment FOR EACH ROW
        WHEN (NEW.intervention_id = '${interventionId}') EXECUTE FUNCTION test_fail_insert();`);
  });
  afterAll(async () => {
    await t.db.query(`DROP TRIGGER test_fail_user ON app_user; DROP TRIGGER test_fail_enrolment ON enrolment;
                      DROP FUNCTION test_fail_insert()`);
    await t.close();
  });
  beforeEach(() => {
    lines = [];
    const capture = (...args: unknown[]) => void lines.push(JSON.stringify(args));
    spies = (['error', 'warn', 'log'] as const).map((level) =>
      jest.spyOn(Logger.prototype, level).mockImplementation(capture),
    );
  });
  afterEach(() => spies.forEach((s) => s.mockRestore()));

  it('a failed user insert logs the query name and code, not the e-mail nor the password hash', async () => {
    const email = 'fail-anna.andersson@test.uppfoljning.se';
    const res = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(f.adminToken))
      .send({ email, password: PASSWORD, role: 'admin' });
    expect(res.status).toBe(500);
    expect(res.body).toEqual(
      expect.objectContaining({
        statusCode: 500,
        message: 'Internal server error',
        correlationId: expect.any(String),
      }),
    );
    const log = lines.join('\n');
    expect(log).toContain('XX001');
    expect(log).toContain('INSERT INTO app_user');
    expect(log).toContain(res.body.correlationId);
    expect(log).not.toContain('anna.andersson');
    expect(log).not.toContain('$argon2');
    expect(log).not.toMatch(/parameters/i);
    expect(JSON.stringify(res.body)).not.toContain('anna.andersson');
  });

  it("a failed enrolment insert logs neither the participant's gender, age band nor municipality", async () => {
    const res = await t
      .http()
      .post(`/api/v1/interventions/${interventionId}/enrolments`)
      .set(bearer(f.adminToken))
      .send(
        validEnrolment({
          gender: 'unspecified',
          ageBand: '25-29',
          municipality: '0136',
          participantCode: 'LOGG-77',
        }),
      );
    expect(res.status).toBe(500);
    const log = lines.join('\n');
    expect(log).toContain('XX001');
    expect(log).toContain('INSERT INTO enrolment');
    for (const value of ['unspecified', '25-29', '0136', 'social_services', 'social_assistance']) {
      expect(log).not.toContain(value);
    }
  });

  it('a request refused while its body is read is logged with its correlation id', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json; charset=latin1')
      .send('{"email":"anna@example.se","password":"x"}');
    expect(res.status).toBe(415);
    const log = lines.join('\n');
    expect(log).toContain(res.headers['x-correlation-id']);
    expect(log).toContain('415');
    expect(log).not.toContain('anna@example.se');
  });
});
