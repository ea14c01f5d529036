// Form input → use-case DTO, and every error (DTO validation or a use-case rule) as a Swedish message on
// its field. The rules themselves stay in the DTOs and services; this only words their answers.
import { HttpException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { WEB_LABELS as W } from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';
import { FieldErrorsException } from '@app/http/field-errors.exception';

const F = W.fieldErrors;
type FieldKey = keyof typeof F;

function fieldDefault(field: string): string {
  const root = field.split('.')[0];
  const message = (F as Record<string, unknown>)[root];
  return typeof message === 'string' ? message : F.generic;
}

/** One use-case error message (English, from the API's rules) in Swedish, on the same field. */
export function swedishFieldError(error: FieldError): FieldError {
  const { field, message } = error;
  const m = message;
  let match: RegExpExecArray | null;
  let text: string;
  if (/must not be in the future/.test(m)) text = F.dateInFuture;
  else if ((match = /before the intervention started \(([^)]+)\)/.exec(m)))
    text = F.beforeInterventionStart(match[1]);
  else if ((match = /after the intervention ended \(([^)]+)\)/.exec(m)))
    text = F.afterInterventionEnd(match[1]);
  else if ((match = /must not be before startedOn \(([^)]+)\)/.exec(m))) text = F.exitBeforeStart(match[1]);
  else if (/already has an open enrolment/.test(m)) text = F.openEnrolmentExists;
  else if ((match = /already exited on (\S+)/.exec(m))) text = F.alreadyExited(match[1]);
  else if (/unknown SCB municipality/.test(m))
    text = field === 'municipalities' ? F.municipalities : F.unknownMunicipality;
  else if (/give either ageBand or age/.test(m)) text = F.ageBoth;
  else if (/personnummer|samordningsnummer/.test(m))
    text = field === 'participantCode' ? F.participantCodePersonalNumber : `${fieldDefault(field)}`;
  else if (/a user with this email already exists/.test(m)) text = F.emailTaken;
  else if (/another association has this organisation number/.test(m)) text = F.organisationNumberTaken;
  else if (/an admin sees everything/.test(m)) text = F.noScopeForAdmin;
  else if (/must not be before startsOn/.test(m)) text = F.endsOn;
  else text = fieldDefault(field);
  return { field: field.split('.')[0], message: text };
}

/** Field errors of a use case's 4xx, in Swedish; null when the exception is not about fields. */
export function fieldErrorsOf(error: unknown): FieldError[] | null {
  if (error instanceof FieldErrorsException && error.getStatus() < 500 && error.details.length) {
    return dedupe(error.details.map(swedishFieldError));
  }
  return null;
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.field) ? false : (seen.add(e.field), true)));
}

/**
 * Validates a plain object against a use case's DTO class (the same class-validator rules as the API)
 * and returns the DTO, or the Swedish field errors.
 */
export async function validateAs<T extends object>(
  cls: new () => T,
  plain: Record<string, unknown>,
): Promise<{ dto: T; errors: null } | { dto: null; errors: FieldError[] }> {
  const dto = plainToInstance(cls, plain, { enableImplicitConversion: false });
  const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (problems.length === 0) return { dto, errors: null };
  const errors = problems.map((p) => {
    const constraints = Object.keys(p.constraints ?? {});
    if (p.property === 'participantCode' && constraints.includes('isNotPersonalNumber'))
      return { field: p.property, message: F.participantCodePersonalNumber };
    return { field: p.property, message: fieldDefault(p.property) };
  });
  return { dto: null, errors: dedupe(errors) };
}

/** Rethrows anything that is not a field error (403, 404, 500 go to the error page). */
export function fieldErrorsOrThrow(error: unknown): FieldError[] {
  const errors = fieldErrorsOf(error);
  if (errors) return errors;
  if (error instanceof HttpException || error instanceof Error) throw error;
  throw new Error(String(error));
}

export type { FieldKey };
