import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from './error-envelope';
import { FieldErrorsException } from './field-errors.exception';
import { repeatedQueryParameter, requestValueProblem } from './request-guard';

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

const isPrimitive = (metatype: unknown): boolean =>
  metatype === Number || metatype === String || metatype === Boolean || metatype === undefined;

function reject(details: FieldError[]): FieldErrorsException {
  const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
  return new FieldErrorsException(400, `Validation failed: ${summary}`, details);
}

/**
 * The one global pipe. Before any DTO: every body, query string and path parameter is checked for characters
 * no field may hold and for hostile nesting, and a query parameter may be given once only. Then the DTO:
 * unknown fields rejected, payloads transformed into DTO instances.
 */
class GuardedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const root = metadata.type === 'body' ? '' : (metadata.data ?? '');
      const problem = requestValueProblem(value, root);
      if (problem) throw reject([problem]);
      // Web forms send a multiple choice as a repeated parameter (insatser=a&insatser=b): a page reading the
      // raw query object (metatype Object, no DTO) parses it itself; DTOs and named parameters take one value.
      if (metadata.type === 'query' && !(metadata.data === undefined && metadata.metatype === Object)) {
        // The whole query object, or one named parameter: either way an array means it was given twice.
        const repeated = metadata.data
          ? repeatedQueryParameter({ [metadata.data]: value })
          : repeatedQueryParameter(value);
        if (repeated) throw reject([{ field: repeated, message: 'must be given once, as a plain value' }]);
      }
    }
    // A single path or query parameter is parsed by its own pipe (IdPipe, YearPipe), strictly: the default
    // primitive conversion would turn "2025.0" or "+2025" into 2025 before that pipe sees it.
    if (
      (metadata.type === 'param' || metadata.type === 'query') &&
      metadata.data &&
      isPrimitive(metadata.metatype)
    )
      return value;
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new GuardedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => reject(flattenValidationErrors(errors)),
  });
}
