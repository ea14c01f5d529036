import { loggedUrl } from './logging.module';

describe('loggedUrl', () => {
  it('never logs the one-time token of the anonymous survey form', () => {
    expect(loggedUrl('/enkat/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA')).toBe('/enkat/[token]');
    expect(loggedUrl('/enkat/abc?x=1')).toBe('/enkat/[token]');
  });
  it('keeps other paths as they are', () => {
    expect(loggedUrl('/api/v1/reports/regional?period=2024')).toBe('/api/v1/reports/regional?period=2024');
  });
});
