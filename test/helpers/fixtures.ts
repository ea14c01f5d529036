import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';

export const ADMIN = { email: 'admin@test.uppfoljning.se', password: 'Admin-password-for-tests' };
export const PASSWORD = 'Password-for-test-users';

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export async function login(t: TestApp, email: string, password: string): Promise<string> {
  const res = await t.http().post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Builds fixtures through the public API as an admin, exactly as a real installation would be set up. */
export class Fixtures {
  private constructor(
    private readonly t: TestApp,
    readonly adminToken: string,
  ) {}

  static async create(t: TestApp): Promise<Fixtures> {
    return new Fixtures(t, await login(t, ADMIN.email, ADMIN.password));
  }

  async association(extra: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
    const res = await this.t
      .http()
      .post('/api/v1/associations')
      .set(bearer(this.adminToken))
      .send({ name: unique('Förbund'), ...extra });
    if (res.status !== 201) throw new Error(`association: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async intervention(
    associationId: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; startsOn: string }> {
    const res = await this.t
      .http()
      .post('/api/v1/interventions')
      .set(bearer(this.adminToken))
      .send({
        associationId,
        name: unique('Insats'),
        startsOn: '2020-01-01',
        municipalities: ['0136'],
        ...extra,
      });
    if (res.status !== 201) throw new Error(`intervention: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** A user of the role with its grants; returns its id and a fresh token. */
  async user(
    role: 'admin' | 'coordinator' | 'evaluator' | 'board',
    grants: { associationIds?: string[]; interventionIds?: string[] } = {},
  ): Promise<{ id: string; email: string; token: string }> {
    const email = `${unique(role)}@test.uppfoljning.se`;
    const res = await this.t
      .http()
      .post('/api/v1/users')
      .set(bearer(this.adminToken))
      .send({ email, password: PASSWORD, role, ...grants });
    if (res.status !== 201) throw new Error(`user: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id, email, token: await login(this.t, email, PASSWORD) };
  }

  async enrol(token: string, interventionId: string, extra: Record<string, unknown> = {}) {
    const res = await this.t
      .http()
      .post(`/api/v1/interventions/${interventionId}/enrolments`)
      .set(bearer(token))
      .send(validEnrolment(extra));
    if (res.status !== 201) throw new Error(`enrol: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; participantCode: string; startedOn: string };
  }
}

export function validEnrolment(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    participantCode: unique('DLT'),
    startedOn: '2024-02-01',
    referringParty: 'social_services',
    gender: 'woman',
    ageBand: '19-20',
    municipality: '0136',
    educationLevel: 'compulsory',
    incomeSupportAtStart: ['social_assistance'],
    ...extra,
  };
}
