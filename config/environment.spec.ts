import { EnvironmentError, loadEnvironment } from './environment';

describe('RECOMPUTE_SPACING_MS', () => {
  it('defaults to one second and takes 0 (round after round) up to a minute', () => {
    expect(loadEnvironment({}).RECOMPUTE_SPACING_MS).toBe(1000);
    expect(loadEnvironment({ RECOMPUTE_SPACING_MS: '0' }).RECOMPUTE_SPACING_MS).toBe(0);
    expect(loadEnvironment({ RECOMPUTE_SPACING_MS: '60000' }).RECOMPUTE_SPACING_MS).toBe(60_000);
  });

  it.each(['-1', '60001', '1.5', 'soon'])('refuses %s, naming the variable', (value) => {
    expect(() => loadEnvironment({ RECOMPUTE_SPACING_MS: value })).toThrow(EnvironmentError);
    expect(() => loadEnvironment({ RECOMPUTE_SPACING_MS: value })).toThrow(/RECOMPUTE_SPACING_MS/);
  });
});
