import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { correlationIdOf } from './correlation-id';
import { ErrorEnvelope, errorName, FieldError } from './error-envelope';
import { loggableError } from './error-log';
import { FieldErrorsException } from './field-errors.exception';
import { BODY_LIMIT_TEXT, MAX_URLENCODED_PARAMETERS } from './body-parsers';
import { MAX_NESTING_DEPTH } from './request-guard';

interface PgError {
  code?: string;
  constraint?: string;
}

/** An error from body-parser/raw-body/http-errors: a 4xx status and a machine-readable type. */
interface FrameworkHttpError {
  status: number;
  type?: string;
}

function isFrameworkHttpError(e: unknown): e is FrameworkHttpError {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' && s >= 400 && s < 500 && !(e instanceof HttpException);
}

/** Body-parser's error types as the answers a client can act on. */
const FRAMEWORK_ERRORS: Record<string, { status: number; message: string }> = {
  'entity.too.large': { status: 413, message: `The request body is larger than ${BODY_LIMIT_TEXT}` },
  'parameters.too.many': {
    status: 413,
    message: `The form has more than ${MAX_URLENCODED_PARAMETERS} parameters`,
  },
  'charset.unsupported': { status: 415, message: 'Unsupported charset: send the body as UTF-8' },
  'encoding.unsupported': {
    status: 415,
    message: 'Unsupported Content-Encoding: send the body uncompressed',
  },
  'entity.too.deep': { status: 400, message: `The body is nested deeper than ${MAX_NESTING_DEPTH} levels` },
  'entity.parse.failed': { status: 400, message: 'The body is not valid JSON' },
  'request.aborted': { status: 400, message: 'The request was aborted' },
  'request.size.invalid': { status: 400, message: 'The request body does not match its Content-Length' },
  'stream.encoding.set': { status: 400, message: 'The request body could not be read' },
};

/** PostgreSQL data exceptions (class 22) a request could still cause: bad input, not a server fault. */
const PG_BAD_INPUT = new Set([
  '22001',
  '22003',
  '22007',
  '22008',
  '22021',
  '22P02',
  '22P05',
  '22023',
  '22025',
]);

/** Renders every error as the api-v1 envelope; never leaks a stack trace or SQL to the client. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = this.toEnvelope(exception);
    // Errors raised before the logging middleware (body parsing) still get, echo and log a correlation id.
    body.correlationId = response.headersSent
      ? (request.headers['x-correlation-id'] as string | undefined)
      : correlationIdOf(request, response);
    if (body.statusCode >= 500) {
      this.logger.error(
        { err: loggableError(exception), correlationId: body.correlationId },
        'Unhandled error',
      );
    } else if (isFrameworkHttpError(exception) || exception instanceof QueryFailedError) {
      this.logger.warn(
        {
          correlationId: body.correlationId,
          status: body.statusCode,
          err: loggableError(exception),
          req: { method: request.method, url: request.originalUrl?.split('?')[0] },
        },
        'Request refused',
      );
    }
    if (response.headersSent) return;
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
    if (isFrameworkHttpError(exception)) {
      const known = exception.type ? FRAMEWORK_ERRORS[exception.type] : undefined;
      const status = known?.status ?? exception.status;
      return {
        statusCode: status,
        error: errorName(status),
        message: known?.message ?? 'The request could not be read',
        details: [{ field: 'body', message: known?.message ?? 'could not be read' }],
      };
    }
    // Safety net for constraints the services did not pre-check (races between concurrent requests).
    if (exception instanceof QueryFailedError) {
      const pg = exception.driverError as PgError;
      if (pg.code === '23505') return this.constraintError(409, 'Conflicts with an existing record', pg);
      if (pg.code === '23514' || pg.code === '23503' || pg.code === '23502') {
        return this.constraintError(400, 'Violates a data rule', pg);
      }
      if (pg.code && PG_BAD_INPUT.has(pg.code)) {
        return {
          statusCode: 400,
          error: errorName(400),
          message: 'A value is out of range or malformed',
          details: [],
        };
      }
    }
    return { statusCode: 500, error: errorName(500), message: 'Internal server error' };
  }

  /** The constraint's name is internal (it is in the log line with the correlation id), never a field. */
  private constraintError(status: number, message: string, _pg: PgError): ErrorEnvelope {
    const details: FieldError[] = [{ field: 'body', message }];
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
