// Privacy rule of domain.md: participant codes and free text must never hold a Swedish personnummer
// or samordningsnummer, and a participant code must not be a name, a phone number or an e-mail address.
// This module is the one identifier filter of the system: the HTTP validators, the imports and the
// surveys all call it, on every free-text value and every imported cell.
//
// We reject anything that *looks* like a number (plausible date + four digits) and deliberately ignore the
// Luhn check digit: a mistyped real number is still a real person's number. Before matching, the text is
// normalised so that look-alikes cannot slip through: Unicode NFKC (fullwidth and mathematical digits),
// every Unicode decimal digit system mapped to ASCII (Arabic-Indic, Devanagari...), zero-width and
// soft-hyphen characters removed, and any run of separator characters between digit groups allowed.

/**
 * Characters that render as nothing: removed before matching (a zero-width space must not hide a number).
 * Joiners and variation selectors are listed on their own on purpose: matching them alone is the point.
 */
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/gu;

/** Separators people put inside a number: spaces of any kind, dashes, dots, slashes, underscores, commas... */
const SEPARATOR_CHARS = String.raw`\p{Zs}\p{Pd}\u2212\u2044\u2215\t\n\r._/\\:,;'·+*#~|()\[\]`;
/** A digit group, then (separator run, digit group)*: at most 5 separator characters between two groups. */
const DIGIT_RUN = new RegExp(String.raw`\d+(?:[${SEPARATOR_CHARS}]{1,5}\d+)*`, 'gu');

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Samordningsnummer add 60 to the day of birth. */
const COORDINATION_DAY_OFFSET = 60;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The value (0–9) of any Unicode decimal digit: decimal digit systems are runs of ten from their zero. */
function digitValue(char: string): number {
  const cp = char.codePointAt(0)!;
  // Several systems can be adjacent (mathematical digits): the offset within the whole run counts modulo 10.
  let start = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
  return (cp - start) % 10;
}

/**
 * The text as the filter sees it: NFKC, every decimal digit as ASCII, invisible characters removed.
 * Exported so callers (imports, surveys) can show what was matched.
 */
export function normaliseForIdentifierMatch(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\p{Nd}/gu, (d) => (d >= '0' && d <= '9' ? d : String(digitValue(d))));
}

/**
 * Is month/day a plausible birth date? `year` is null for the short form, where the century is unknown,
 * so 29 February is always accepted there (erring on the side of rejecting the input).
 */
function isPlausibleBirthDate(year: number | null, month: number, day: number): boolean {
  if (month < 1 || month > 12) return false;
  const realDay = day > COORDINATION_DAY_OFFSET ? day - COORDINATION_DAY_OFFSET : day;
  if (realDay < 1) return false;
  const max = month === 2 ? (year === null || isLeapYear(year) ? 29 : 28) : DAYS_IN_MONTH[month - 1];
  return realDay <= max;
}

/** Ten digits YYMMDDNNNN or twelve digits (18|19|20)YYMMDDNNNN with a plausible birth date. */
function isNumberShape(digits: string): boolean {
  if (digits.length === 10) {
    return isPlausibleBirthDate(null, Number(digits.slice(2, 4)), Number(digits.slice(4, 6)));
  }
  if (digits.length === 12) {
    const century = digits.slice(0, 2);
    if (century !== '18' && century !== '19' && century !== '20') return false;
    return isPlausibleBirthDate(
      Number(digits.slice(0, 4)),
      Number(digits.slice(4, 6)),
      Number(digits.slice(6, 8)),
    );
  }
  return false;
}

/** Digit groups of a run, e.g. "85 04 12-1230" → ["85", "04", "12", "1230"]. */
function groupsOf(run: string): string[] {
  return run.match(/\d+/g) ?? [];
}

/** Three groups YYYY, MM, DD: a written date (so "2024-01-15 – 2024-06-30" is a date range, not a number). */
function isWrittenDate(year: string, month: string | undefined, day: string | undefined): boolean {
  if (year.length !== 4 || month?.length !== 2 || day?.length !== 2) return false;
  const y = Number(year);
  return (
    y >= 1900 &&
    y <= 2100 &&
    Number(month) >= 1 &&
    Number(month) <= 12 &&
    Number(day) >= 1 &&
    Number(day) <= 31
  );
}

/**
 * Does any run of consecutive digit groups spell a personnummer/samordningsnummer? Whole groups only: a number
 * inside a longer unseparated digit run ("9998504121234") is an order number, not a person.
 */
function runHasPersonalNumber(groups: string[]): boolean {
  // The month and day of a written date ("2023-03-01") do not start a number: "03 01 2023 12" is not a person.
  const insideDate = new Set<number>();
  groups.forEach((g, i) => {
    if (isWrittenDate(g, groups[i + 1], groups[i + 2])) insideDate.add(i + 1).add(i + 2);
  });
  for (let from = 0; from < groups.length; from++) {
    if (insideDate.has(from)) continue;
    let digits = '';
    for (let to = from; to < groups.length && digits.length < 12; to++) {
      digits += groups[to];
      if (!isNumberShape(digits)) continue;
      // The last four digits followed by "-MM-DD" are a year in a date range, not a birth number.
      const last = groups[to];
      if (last.length === 4 && isWrittenDate(last, groups[to + 1], groups[to + 2])) continue;
      return true;
    }
  }
  return false;
}

function digitRuns(text: string): string[][] {
  return [...normaliseForIdentifierMatch(text).matchAll(DIGIT_RUN)].map((m) => groupsOf(m[0]));
}

/** True if the whole (trimmed) value has the shape of a personnummer or samordningsnummer, any separators. */
export function looksLikePersonalNumber(value: string): boolean {
  const v = normaliseForIdentifierMatch(value).trim();
  const runs = [...v.matchAll(DIGIT_RUN)];
  if (runs.length !== 1 || runs[0][0] !== v) return false;
  return isNumberShape(groupsOf(v).join(''));
}

/** True if such a number occurs anywhere in the text, in 10 or 12 digits with any separators. */
export function containsPersonalNumber(text: string): boolean {
  return digitRuns(text).some(runHasPersonalNumber);
}

/** A Swedish phone number: +46/0046 then 7–11 digits, or a leading 0 and 9–11 digits in all, any separators. */
function containsPhoneNumber(text: string): boolean {
  const normalised = normaliseForIdentifierMatch(text);
  for (const m of normalised.matchAll(
    new RegExp(String.raw`\+?\d+(?:[${SEPARATOR_CHARS}]{1,5}\d+)*`, 'gu'),
  )) {
    const raw = m[0];
    const digits = raw.replace(/\D/g, '');
    if (/^(\+46|0046)/.test(raw.replace(/[^\d+]/g, '')) && digits.length >= 9 && digits.length <= 13)
      return true;
    // Nine to eleven digits: eight-digit groups are too common in honest codes (DLT-01234567) to refuse.
    if (/^0[1-9]/.test(digits) && digits.length >= 9 && digits.length <= 11) return true;
  }
  return false;
}

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]{2,}/u;
const AT_SIGN = /[@\uFF20\uFE6B]/u;

/** Two or more words of letters only (at least two letters each, not all capitals): "Anna Andersson". */
function looksLikeName(text: string): boolean {
  // Words are separated by spaces only: "DLT-abcdef" is one word (a code), "Anna-Karin Ek" two (a name).
  const words = normaliseForIdentifierMatch(text)
    .split(/[\p{Zs}\t]+/u)
    .filter((w) => w.length > 0);
  const letterWords = words.filter((w) => /^\p{L}{2,}(?:-\p{L}{2,})*$/u.test(w));
  if (letterWords.length < 2) return false;
  if (letterWords.length !== words.length) return false;
  return letterWords.some((w) => /\p{Ll}/u.test(w));
}

export type IdentifierKind = 'personal-number' | 'phone-number' | 'email' | 'name';

/** Which identifier a value holds, or null. `code` also refuses names, phone numbers and e-mail addresses. */
export function findIdentifier(value: string, context: 'text' | 'code'): IdentifierKind | null {
  if (containsPersonalNumber(value)) return 'personal-number';
  if (context === 'text') return null;
  if (EMAIL.test(normaliseForIdentifierMatch(value)) || AT_SIGN.test(value)) return 'email';
  if (containsPhoneNumber(value)) return 'phone-number';
  if (looksLikeName(value)) return 'name';
  return null;
}

const IDENTIFIER_MESSAGES: Record<IdentifierKind, string> = {
  'personal-number': 'must not contain a personnummer or samordningsnummer',
  'phone-number': 'must not be a phone number',
  email: 'must not be an e-mail address',
  name: "looks like a person's name; use the pseudonymous code of the insats instead",
};

/**
 * The plain identifier filter for any caller (HTTP fields, imported cells, survey answers): null when the
 * value is fine, otherwise a message saying what was found (never echoing the value).
 */
export function identifierProblem(value: string, context: 'text' | 'code' = 'text'): string | null {
  const kind = findIdentifier(value, context);
  return kind ? IDENTIFIER_MESSAGES[kind] : null;
}
