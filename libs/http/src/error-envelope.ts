import { STATUS_CODES } from 'node:http';

export interface FieldError {
  field: string;
  message: string;
}

/** The one error body of api-v1.md. */
export interface ErrorEnvelope {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldError[];
  correlationId?: string;
}

export function errorName(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
