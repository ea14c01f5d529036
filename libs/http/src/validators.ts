import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { containsPersonalNumber, isCalendarDate, looksLikePersonalNumber } from '@app/domain';

/** class-transformer step for free text and codes: surrounding spaces are not part of the value. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** SCB kommunkod: four digits. */
export const MUNICIPALITY_CODE = /^[0-9]{4}$/;

function define(
  name: string,
  test: (value: unknown) => boolean,
  message: string | ((args: ValidationArguments) => string),
  options?: ValidationOptions,
) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
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

/** A real calendar date written YYYY-MM-DD (2023-02-29 is rejected). */
export function IsCalendarDate(options?: ValidationOptions) {
  return define('isCalendarDate', isCalendarDate, 'must be a real date written YYYY-MM-DD', options);
}

/** Privacy rule: a participant code must not be a personnummer or samordningsnummer. */
export function IsNotPersonalNumber(options?: ValidationOptions) {
  return define(
    'isNotPersonalNumber',
    // A code may also embed a number ("P-850412-1234"), so look inside it too.
    (v) => typeof v !== 'string' || !(looksLikePersonalNumber(v) || containsPersonalNumber(v)),
    'looks like a personnummer or samordningsnummer; use the pseudonymous code of the insats instead',
    options,
  );
}

/** Privacy rule for free text: no personnummer or samordningsnummer anywhere in it. */
export function HasNoPersonalNumber(options?: ValidationOptions) {
  return define(
    'hasNoPersonalNumber',
    (v) => typeof v !== 'string' || !containsPersonalNumber(v),
    'must not contain a personnummer or samordningsnummer',
    options,
  );
}
