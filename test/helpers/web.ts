import type { Response } from 'supertest';
import type { TestApp } from './test-app';

/** The session cookie of a supertest response (name=value only). */
export function cookiesOf(res: Response): string[] {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  return (header ?? []).map((c) => c.split(';')[0]).filter((c) => !c.endsWith('='));
}

export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF field on the page');
  return match[1];
}

/** Signs in through the login form as a browser would; returns the cookie header and the session's CSRF token. */
export async function webLogin(
  t: TestApp,
  email: string,
  password: string,
): Promise<{ cookie: string; csrf: string }> {
  const form = await t.http().get('/');
  const loginCookie = cookiesOf(form).join('; ');
  const res = await t
    .http()
    .post('/logga-in')
    .set('Cookie', loginCookie)
    .type('form')
    .send({ _csrf: csrfOf(form.text), email, password });
  if (res.status !== 303) throw new Error(`web login ${email}: ${res.status}`);
  const cookie = cookiesOf(res).join('; ');
  const start = await t.http().get('/').set('Cookie', cookie);
  return { cookie, csrf: csrfOf(start.text) };
}
