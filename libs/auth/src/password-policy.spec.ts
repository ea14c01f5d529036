import { passwordProblem } from './password-policy';

const EMAIL = 'anna.andersson@forbund.example.se';

describe('passwordProblem (NIST 800-63B)', () => {
  it.each([
    ['too short', 'Kort-lösen1', /at least 12 characters/],
    ['one character repeated', 'aaaaaaaaaaaa', /repeats one character/],
    ['twelve spaces', '            ', /repeats one character/],
    ['a common password', 'password1234', /too easy to guess|most common/],
    ['a common password padded', 'iloveyou1234', /too easy to guess|most common/],
    ['a keyboard row', 'qwertyuiop12', /too easy to guess|most common/],
    ['a trivial sequence', 'abcdefghijkl', /too easy to guess/],
    ['digits in a row', '123456789012', /too easy to guess|most common/],
    ['the email itself', EMAIL, /email address/],
    ['the email in other letter case', EMAIL.toUpperCase(), /email address/],
    ['the local part of the email with digits', 'anna.andersson2024', /email address/],
    ['a repeated pair', 'abababababab', /too easy to guess/],
  ])('refuses %s', (_label, password, reason) => {
    expect(passwordProblem(password, EMAIL)).toMatch(reason);
  });

  it.each(['Password-for-test-users', 'trubbig-kanel-vagn', 'correct horse battery', 'Förbundet-2024-Q3x'])(
    'accepts a long, unguessable passphrase: %s',
    (password) => {
      expect(passwordProblem(password, EMAIL)).toBeNull();
    },
  );

  it('counts characters, not UTF-16 units, for the length', () => {
    expect(passwordProblem('🐟'.repeat(11), EMAIL)).toMatch(/at least 12/);
  });
});
