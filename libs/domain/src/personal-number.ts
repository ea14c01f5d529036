// Privacy rule of domain.md: participant codes and free text must never hold a Swedish personnummer
// or samordningsnummer. We reject anything that *looks* like one (plausible date + four digits) and
// deliberately ignore the Luhn check digit: a mistyped real number is still a real person's number.

// Short form YYMMDD[sep]NNNN and long form (18|19|20)YYMMDD[sep]NNNN. The separator is optional and may be
// '-', '+' (used for people aged 100+) or a space. The digit-boundary lookarounds stop us from matching
// inside a longer digit run (order numbers, phone numbers...), and make the two forms mutually exclusive
// at any position, so every candidate has exactly one parse.
const SHORT_FORM = String.raw`(?<!\d)(\d{2})(\d{2})(\d{2})[-+ ]?\d{4}(?!\d)`;
const LONG_FORM = String.raw`(?<!\d)(18|19|20)(\d{2})(\d{2})(\d{2})[-+ ]?\d{4}(?!\d)`;

const SHORT_WHOLE = new RegExp(`^${SHORT_FORM}$`);
const LONG_WHOLE = new RegExp(`^${LONG_FORM}$`);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Samordningsnummer add 60 to the day of birth. */
const COORDINATION_DAY_OFFSET = 60;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
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

function shortMatchIsPlausible(m: RegExpMatchArray): boolean {
  return isPlausibleBirthDate(null, Number(m[2]), Number(m[3]));
}

function longMatchIsPlausible(m: RegExpMatchArray): boolean {
  return isPlausibleBirthDate(Number(m[1] + m[2]), Number(m[3]), Number(m[4]));
}

/** True if the whole (trimmed) value has the shape of a personnummer or samordningsnummer. */
export function looksLikePersonalNumber(value: string): boolean {
  const v = value.trim();
  const short = SHORT_WHOLE.exec(v);
  if (short && shortMatchIsPlausible(short)) return true;
  const long = LONG_WHOLE.exec(v);
  return long !== null && longMatchIsPlausible(long);
}

/** True if such a number occurs anywhere in the text (not as part of a longer digit run). */
export function containsPersonalNumber(text: string): boolean {
  // Fresh global regexes per call: a shared /g regex carries lastIndex state between calls.
  for (const m of text.matchAll(new RegExp(SHORT_FORM, 'g'))) {
    if (shortMatchIsPlausible(m)) return true;
  }
  for (const m of text.matchAll(new RegExp(LONG_FORM, 'g'))) {
    if (longMatchIsPlausible(m)) return true;
  }
  return false;
}
