import { formatCount, formatShare, formatTime } from './format';

describe('Swedish number formats', () => {
  it('shows counts with a space between thousands and keeps the disclosure marks', () => {
    expect(formatCount(12345).replace(/\s/g, ' ')).toBe('12 345');
    expect(formatCount('<3')).toBe('<3');
    expect(formatCount('..')).toBe('..');
    expect(formatCount(null)).toBe('–');
  });

  it('shows shares as percent with a decimal comma', () => {
    expect(formatShare(0.4231)).toBe('42,3 %');
    expect(formatShare(null)).toBe('–');
  });

  it('shows the time alone for today and with the date for another day (Stockholm)', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(formatTime('2026-11-30T09:42:00Z', now)).toBe('10:42');
    expect(formatTime('2026-11-29T09:42:00Z', now)).toBe('2026-11-29 10:42');
  });
});
