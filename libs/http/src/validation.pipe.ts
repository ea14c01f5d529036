import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from './error-envelope';
import { FieldErrorsException } from './field-errors.exception';

function stripPrefix(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

/** Flattens class-validator's tree into `{field: 'a.b.0', message}` pairs. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      // class-validator's own messages start with the property name; the field is reported separately.
      message:
        rule === 'whitelistValidation' ? 'is not an allowed field' : stripPrefix(message, error.property),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** The one global pipe: unknown fields rejected, payloads transformed into DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
      return new FieldErrorsException(400, `Validation failed: ${summary}`, details);
    },
  });
}
