import { BadRequestException, ConflictException, HttpException } from '@nestjs/common';
import { FieldError } from './error-envelope';

/** A 4xx whose body names the offending fields. Services throw these; the filter renders the envelope. */
export class FieldErrorsException extends HttpException {
  constructor(
    status: number,
    message: string,
    readonly details: FieldError[],
  ) {
    super({ message, details }, status);
  }
}

export function badField(field: string, message: string): FieldErrorsException {
  return new FieldErrorsException(new BadRequestException().getStatus(), `${field}: ${message}`, [
    { field, message },
  ]);
}

export function conflictField(field: string, message: string): FieldErrorsException {
  return new FieldErrorsException(new ConflictException().getStatus(), message, [{ field, message }]);
}
