// Text rules for every text field of the system, in one place: well-formed Unicode stored as NFC, no control
// characters (a NUL byte is refused by PostgreSQL, a lone surrogate by jsonb), and sane lengths. Plain
// functions so the HTTP validators, the imports and the surveys apply the same rules.

/** C0 and C1 control characters and DEL; tab, line feed and carriage return are allowed in multi-line text. */
// eslint-disable-next-line no-control-regex -- matching control characters is this rule's purpose
const CONTROL_ANY = /[\u0000-\u001F\u007F-\u009F]/u;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/** Unicode noncharacters U+FFFE/U+FFFF: never valid in interchange. */
const NONCHARACTER = /[\uFFFE\uFFFF]/u;

export interface TextRuleOptions {
  /** Allow tab and line breaks (descriptions); single-line fields (names, codes) refuse them. */
  multiline?: boolean;
}

/** True when the string holds no unpaired UTF-16 surrogate (which no encoding can store). */
export function isWellFormedText(value: string): boolean {
  // String.prototype.isWellFormed is Node 20+; the regex keeps this pure and explicit.
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
}

/** What is wrong with a text value under the common rules, or null. Never echoes the value. */
export function textProblem(value: string, options: TextRuleOptions = {}): string | null {
  if (!isWellFormedText(value)) return 'must be well-formed Unicode text (it holds an unpaired surrogate)';
  if ((options.multiline ? CONTROL_MULTILINE : CONTROL_ANY).test(value)) {
    return options.multiline
      ? 'must not contain control characters (only tab and line breaks are allowed)'
      : 'must not contain control characters or line breaks';
  }
  if (NONCHARACTER.test(value)) return 'must not contain Unicode noncharacters (U+FFFE, U+FFFF)';
  return null;
}

/** Any value anywhere in a request: unpaired surrogates and control characters other than tab/line breaks. */
export function hasForbiddenCharacters(value: string): boolean {
  return textProblem(value, { multiline: true }) !== null;
}

/** How a text value is stored: surrounding white space removed, composed (NFC) so equal text compares equal. */
export function normaliseText(value: string): string {
  return isWellFormedText(value) ? value.trim().normalize('NFC') : value;
}

/** Dates the system accepts: nothing in it happened before 1990 or will be planned after 2100. */
export const MIN_DATE = '1990-01-01';
export const MAX_DATE = '2100-12-31';
