import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsString,
  MaxLength,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import {
  identifierProblem,
  isCalendarDate,
  MAX_DATE,
  MIN_DATE,
  normaliseText,
  textProblem,
} from '@app/domain';

/** class-transformer step for free text and codes: surrounding spaces are not part of the value; stored as NFC. */
export const trim = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? normaliseText(value) : value;

/** SCB kommunkod: four digits. */
export const MUNICIPALITY_CODE = /^[0-9]{4}$/;

function define(
  name: string,
  test: (value: unknown) => boolean,
  message: string | ((args: ValidationArguments) => string),
  options?: ValidationOptions,
) {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName: String(propertyName),
      options: { message, ...options },
      validator: { validate: (value: unknown) => test(value) },
    });
}

/** A code from one of domain.md's lists; the message lists the accepted codes. */
export function IsCode(list: readonly string[], options?: ValidationOptions) {
  return define(
    'isCode',
    (v) => typeof v === 'string' && list.includes(v),
    `must be one of: ${list.join(', ')}`,
    options,
  );
}

/**
 * A share as a fraction 0–1 with at most four decimals. Written by hand: class-validator's
 * `IsNumber({maxDecimalPlaces})` throws on numbers JavaScript prints in exponent form (e.g. 9e-323).
 */
export function IsShare(options?: ValidationOptions) {
  return define(
    'isShare',
    (v) =>
      typeof v === 'number' &&
      Number.isFinite(v) &&
      v >= 0 &&
      v <= 1 &&
      Math.round(v * 10_000) === v * 10_000,
    'must be a fraction between 0 and 1 with at most four decimals',
    options,
  );
}

/** A real calendar date written YYYY-MM-DD (2023-02-29 is rejected) within 1990–2100. */
export function IsCalendarDate(options?: ValidationOptions) {
  return define(
    'isCalendarDate',
    (v) => isCalendarDate(v) && v >= MIN_DATE && v <= MAX_DATE,
    `must be a real date written YYYY-MM-DD between ${MIN_DATE} and ${MAX_DATE}`,
    options,
  );
}

/**
 * Privacy rule for participant codes: not a personnummer or samordningsnummer (any separators, any digits),
 * nor a name, a phone number or an e-mail address.
 */
export function IsNotPersonalNumber(options?: ValidationOptions) {
  return define(
    'isNotPersonalNumber',
    (v) => typeof v !== 'string' || identifierProblem(v, 'code') === null,
    (args) =>
      (typeof args.value === 'string' && identifierProblem(args.value, 'code')) ||
      'must not be a personal identifier',
    options,
  );
}

/** Privacy rule for free text: no personnummer or samordningsnummer anywhere in it. */
export function HasNoPersonalNumber(options?: ValidationOptions) {
  return define(
    'hasNoPersonalNumber',
    (v) => typeof v !== 'string' || identifierProblem(v, 'text') === null,
    'must not contain a personnummer or samordningsnummer',
    options,
  );
}

/** The common text rules (well-formed Unicode, no control characters) as a validator. */
export function IsCleanText(multiline = false, options?: ValidationOptions) {
  return define(
    'isCleanText',
    (v) => typeof v !== 'string' || textProblem(v, { multiline }) === null,
    (args) =>
      (typeof args.value === 'string' && textProblem(args.value, { multiline })) || 'must be plain text',
    options,
  );
}

export interface TextFieldOptions {
  maxLength: number;
  /** Default 1: an empty text is refused. */
  minLength?: number;
  /** Descriptions may hold tab and line breaks. */
  multiline?: boolean;
  /** Default true: free text never holds a personnummer (see HasNoPersonalNumber). */
  identifierFilter?: boolean;
}

/**
 * Every free-text field in one decorator: trimmed and NFC, a string, clean (see IsCleanText), within its
 * length, and without a personnummer. Use with @IsOptional()/@IsOptionalNotNull() when the field may be left out.
 */
export function IsText(options: TextFieldOptions) {
  const min = options.minLength ?? 1;
  return applyDecorators(
    Transform(trim),
    IsString({ message: 'must be text' }),
    IsCleanText(options.multiline ?? false),
    MinLength(min, { message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` }),
    MaxLength(options.maxLength, { message: `must be at most ${options.maxLength} characters` }),
    ...(options.identifierFilter === false ? [] : [HasNoPersonalNumber()]),
  );
}

/**
 * An optional field that may be left out but not set to null (null would clear a required value, or mean
 * nothing): the field's other validators then refuse null with their own message, this one says why.
 */
export function IsOptionalNotNull(options?: ValidationOptions) {
  return applyDecorators(
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    define('isNotNull', (v) => v !== null, 'must not be null (leave the field out to keep it)', options),
  );
}
