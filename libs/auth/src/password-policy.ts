import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * NIST SP 800-63B §5.1.1.2 for memorised secrets: at least 12 characters (this project's floor), no
 * composition rules, but refuse values known to be guessed first: the commonest passwords (the 49k
 * list of breached passwords shipped with @zxcvbn-ts/language-common, read locally), the account's own
 * email, repeated characters and trivial sequences. zxcvbn's estimate catches the variants
 * (`password1234`, `qwertyuiop12`): it must reach score 3 ("safely unguessable": ~10^8 guesses).
 */
export const MIN_PASSWORD_LENGTH = 12;
const MIN_SCORE = 3;

const zxcvbn = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
const COMMON = new Set(dictionary['passwords-common']);

const WARNINGS: Record<string, string> = {
  straightRow: 'is a row of keys on the keyboard',
  keyPattern: 'is a keyboard pattern',
  simpleRepeat: 'repeats the same characters',
  extendedRepeat: 'repeats the same characters',
  sequences: 'is a trivial sequence such as abcd or 1234',
  recentYears: 'relies on a recent year',
  dates: 'relies on a date',
  topTen: 'is one of the most common passwords',
  topHundred: 'is one of the most common passwords',
  common: 'is one of the most common passwords',
  similarToCommon: 'is a common password with small changes',
  wordByItself: 'is a single common word',
  namesByThemselves: 'is a name or surname',
  commonNames: 'relies on common names',
  userInputs: 'contains your email address or name',
  pwned: 'has appeared in a data breach',
};

/** Why the password is refused (a phrase to follow "password "), or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  const folded = password.normalize('NFKC').toLowerCase();
  if (new Set(folded.replace(/\s/g, '')).size <= 1) return 'repeats one character (or is only spaces)';
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0];
  if (folded.includes(address) || (local.length >= 4 && folded.includes(local)))
    return 'must not contain your email address';
  if (COMMON.has(folded.trim())) return 'is one of the most common passwords';
  // zxcvbn's cost grows with length; the first 100 characters decide whether it is guessable.
  const result = zxcvbn.check(folded.slice(0, 100), [address, local, ...local.split(/[._+-]/)]);
  if (result.score < MIN_SCORE) {
    const warning = result.feedback.warning ? WARNINGS[result.feedback.warning] : undefined;
    return `is too easy to guess${warning ? `: it ${warning}` : ''}`;
  }
  return null;
}
