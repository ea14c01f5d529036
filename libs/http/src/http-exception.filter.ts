import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { ErrorEnvelope, errorName, FieldError } from './error-envelope';
import { FieldErrorsException } from './field-errors.exception';

interface PgError {
  code?: string;
  constraint?: string;
}

/** Renders every error as the api-v1 envelope; never leaks a stack trace or SQL to the client. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = this.toEnvelope(exception);
    body.correlationId = request.headers['x-correlation-id'] as string | undefined;
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, correlationId: body.correlationId }, 'Unhandled error');
    }
    response.status(body.statusCode).json(body);
  }

  private toEnvelope(exception: unknown): ErrorEnvelope {
    if (exception instanceof FieldErrorsException) {
      const status = exception.getStatus();
      return {
        statusCode: status,
        error: errorName(status),
        message: this.messageOf(exception),
        details: exception.details,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { statusCode: status, error: errorName(status), message: this.messageOf(exception) };
    }
    // Safety net for constraints the services did not pre-check (races between concurrent requests).
    if (exception instanceof QueryFailedError) {
      const pg = exception.driverError as PgError;
      if (pg.code === '23505') return this.constraintError(409, 'Conflicts with an existing record', pg);
      if (pg.code === '23514' || pg.code === '23503' || pg.code === '22007' || pg.code === '22008') {
        return this.constraintError(400, 'Violates a data rule', pg);
      }
    }
    return { statusCode: 500, error: errorName(500), message: 'Internal server error' };
  }

  private constraintError(status: number, message: string, pg: PgError): ErrorEnvelope {
    const details: FieldError[] = pg.constraint ? [{ field: pg.constraint, message }] : [];
    return { statusCode: status, error: errorName(status), message, details };
  }

  private messageOf(exception: HttpException): string {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : exception.message;
  }
}
