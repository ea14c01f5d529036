import fc from 'fast-check';
import {
  CODE_ONLY_VARIANTS,
  HONEST_CODES,
  PERSONAL_NUMBER_VARIANTS,
} from '../../../test/fixtures/identifier-corpus';
import {
  containsPersonalNumber,
  findIdentifier,
  identifierProblem,
  looksLikePersonalNumber,
  normaliseForIdentifierMatch,
} from './personal-number';

describe('looksLikePersonalNumber', () => {
  it.each([
    '850412-1234',
    '850412+1234',
    '850412 1234',
    '8504121234',
    '198504121234',
    '19850412-1234',
    '19850412 1234',
    '20050412-1234',
    '18991231-1234',
    '  850412-1234  ',
  ])('detects personnummer %p', (value) => {
    expect(looksLikePersonalNumber(value)).toBe(true);
  });

  it.each(['850671-1234', '8506711234', '19850671-1234', '198506711234', '850661-1234', '850891-1234'])(
    'detects samordningsnummer (day + 60) %p',
    (value) => {
      expect(looksLikePersonalNumber(value)).toBe(true);
    },
  );

  it('ignores the Luhn check digit (a mistyped number is still rejected)', () => {
    // 811218-9876 has a valid checksum; 811218-9877 does not. Both must be caught.
    expect(looksLikePersonalNumber('811218-9876')).toBe(true);
    expect(looksLikePersonalNumber('811218-9877')).toBe(true);
  });

  it('accepts 29 February for the short form (century unknown) but checks leap years in the long form', () => {
    expect(looksLikePersonalNumber('010229-1234')).toBe(true);
    expect(looksLikePersonalNumber('20000229-1234')).toBe(true); // 2000 is a leap year
    expect(looksLikePersonalNumber('19000229-1234')).toBe(false); // 1900 is not
    expect(looksLikePersonalNumber('20010229-1234')).toBe(false);
    expect(looksLikePersonalNumber('19840229-1234')).toBe(true);
    expect(looksLikePersonalNumber('19840289-1234')).toBe(true); // samordningsnummer on 29 Feb
    expect(looksLikePersonalNumber('19850289-1234')).toBe(false);
  });

  it.each([
    '851341-1234', // month 13
    '850001-1234', // month 00
    '850100-1234', // day 00
    '850132-1234', // day 32
    '850431-1234', // 31 April
    '850230-1234', // 30 February
    '19850230-1234',
    '198502301234',
    '850660-1234', // day 60 is neither a day nor day+60
    '850692-1234', // day 92
    '850491-1234', // 31 April as samordningsnummer
    '17850412-1234', // century outside 18/19/20
    '21850412-1234',
  ])('rejects implausible dates %p', (value) => {
    expect(looksLikePersonalNumber(value)).toBe(false);
  });

  it.each([
    'UNG-2024-017',
    'A123',
    '12345',
    '',
    'abc',
    '850412-123', // too short
    '850412-12345', // too long
    '1234567890123',
    'P-850412-1234', // the whole value is not a number (containsPersonalNumber catches it)
  ])('does not flag ordinary codes %p', (value) => {
    expect(looksLikePersonalNumber(value)).toBe(false);
  });
});

describe('containsPersonalNumber', () => {
  it.each([
    'ring 19850412-1234 imorgon',
    'pnr 850412-1234.',
    'P-850412-1234',
    '(8504121234)',
    'samordningsnr 850671 1234 enligt FK',
    'line one\n198504121234\nline two',
    'first 851341-1234 then 850412+1234', // an invalid candidate does not hide a later valid one
  ])('finds a number in %p', (text) => {
    expect(containsPersonalNumber(text)).toBe(true);
  });

  it.each([
    'order 1234567890123',
    'Deltagaren har börjat på praktik 2024-03-01',
    'kostnad 12345 kr, ärende 2024-017',
    'ref 851341-1234',
    'id 9998504121234', // embedded in a longer digit run
    '',
  ])('does not flag %p', (text) => {
    expect(containsPersonalNumber(text)).toBe(false);
  });

  it('errs on the side of rejecting: a 10-digit number with a plausible date is flagged', () => {
    // 070123 reads as 2007-01-23, so this mobile number is rejected too; the safer mistake.
    expect(containsPersonalNumber('telefon 0701234567')).toBe(true);
  });

  it('is stateless between calls', () => {
    const text = 'ring 19850412-1234 imorgon';
    expect(containsPersonalNumber(text)).toBe(true);
    expect(containsPersonalNumber(text)).toBe(true);
  });
});

describe('property: every form of a valid date is detected', () => {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  const dateArb = fc
    .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2029, 11, 31)), noInvalidDate: true })
    .map((d) => ({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }));
  const digitsArb = fc.integer({ min: 0, max: 9999 }).map((n) => pad(n, 4));

  it('short and long forms, all separators, personnummer and samordningsnummer', () => {
    fc.assert(
      fc.property(dateArb, digitsArb, ({ year, month, day }, last4) => {
        for (const dayPart of [day, day + 60]) {
          const mmdd = pad(month, 2) + pad(dayPart, 2);
          const short = pad(year % 100, 2) + mmdd;
          const long = pad(year, 4) + mmdd;
          for (const sep of ['', '-', '+', ' ']) {
            for (const candidate of [short + sep + last4, long + sep + last4]) {
              if (!looksLikePersonalNumber(candidate)) return false;
              if (!containsPersonalNumber(`anteckning ${candidate} slut`)) return false;
            }
          }
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});

describe('the identifier filter (issue 7 corpus)', () => {
  it('has at least 60 personal-number variants and 20 honest codes', () => {
    expect(PERSONAL_NUMBER_VARIANTS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(PERSONAL_NUMBER_VARIANTS).size).toBe(PERSONAL_NUMBER_VARIANTS.length);
    expect(HONEST_CODES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(PERSONAL_NUMBER_VARIANTS.map((v) => [JSON.stringify(v), v]))(
    'finds a personal number in %s, in free text and as a code',
    (_label, value) => {
      expect(findIdentifier(value, 'text')).toBe('personal-number');
      expect(findIdentifier(`Anteckning: ${value} slut`, 'text')).toBe('personal-number');
      expect(identifierProblem(value, 'code')).not.toBeNull();
    },
  );

  it.each(CODE_ONLY_VARIANTS.map((v) => [JSON.stringify(v), v]))(
    'refuses %s as a participant code',
    (_label, value) => {
      expect(identifierProblem(value, 'code')).not.toBeNull();
    },
  );

  it.each(HONEST_CODES.map((v) => [v]))('accepts the honest code %p', (value) => {
    expect(identifierProblem(value, 'code')).toBeNull();
    expect(identifierProblem(value, 'text')).toBeNull();
  });

  it('maps every decimal digit system to ASCII and removes invisible characters', () => {
    expect(normaliseForIdentifierMatch('\u0668\u0665\u200B\uFF10\u{1D7D6}')).toBe('8508');
  });

  it('does not take a date range in a description for a number', () => {
    expect(containsPersonalNumber('Pågår 2024-01-15 - 2024-06-30, 12 deltagare')).toBe(false);
    expect(containsPersonalNumber('Perioden 2023-03-01 – 2023-12-31')).toBe(false);
  });

  it('never echoes the value in its message', () => {
    expect(identifierProblem('850412-1230')).not.toContain('850412');
  });
});

describe('property: random prefixed codes are never taken for identifiers', () => {
  it('accepts PREFIX-<8 hex> codes (as the test fixtures and many case systems make them)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('DLT', 'UNG', 'HAN', 'P'),
        fc.stringMatching(/^[0-9a-f]{8}$/),
        (prefix, hex) => identifierProblem(`${prefix}-${hex}`, 'code') === null,
      ),
      { numRuns: 2000 },
    );
  });
});
