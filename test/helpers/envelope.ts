import type { Response } from 'supertest';

/** Every refusal: the api-v1 envelope, a correlation id in the header and the body, and the field named. */
export function expectRefused(res: Response, status: number, field?: string): void {
  if (res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual(
    expect.objectContaining({ statusCode: status, error: expect.any(String), message: expect.any(String) }),
  );
  const id = res.headers['x-correlation-id'];
  expect(typeof id).toBe('string');
  expect(res.body.correlationId).toBe(id);
  if (field !== undefined) {
    const fields = (res.body.details ?? []).map((d: { field: string }) => d.field);
    expect(fields).toContain(field);
  }
}
