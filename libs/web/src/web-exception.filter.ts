import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Response } from 'express';
import { WEB_LABELS as W } from '@app/domain';
import { FieldErrorsException } from '@app/http/field-errors.exception';
import { redirect, sendPage } from './html-response';
import { MessagePage } from './pages/sign-in.page';
import { CsrfRejectedException, LoginRequiredException, type WebRequest } from './web-session.guard';

/** Errors of the web pages as Swedish pages (never the API's JSON); no live session → the login form. */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebPages');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<WebRequest>();
    const res = http.getResponse<Response>();
    const session = req.web ?? null;
    if (exception instanceof LoginRequiredException) return redirect(res, '/');
    const page = (status: number, title: string, message: string, detail?: string) =>
      sendPage(req, res, MessagePage({ title, message, detail, session }), status);
    if (exception instanceof CsrfRejectedException) return page(403, W.errors.csrfTitle, W.errors.csrf);
    if (exception instanceof ThrottlerException) return page(429, W.login.title, W.login.tooMany);
    if (exception instanceof FieldErrorsException && exception.getStatus() === 400) {
      const fields = exception.details.map((d) => d.field).join(', ');
      return page(400, W.errors.badRequestTitle, W.fieldErrors.generic, fields);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 403) return page(403, W.errors.forbiddenTitle, W.errors.forbidden);
      if (status === 404) return page(404, W.errors.notFoundTitle, W.errors.notFound);
      if (status < 500) return page(status, W.errors.badRequestTitle, W.fieldErrors.generic);
    }
    const correlationId = req.headers['x-correlation-id'] as string | undefined;
    this.logger.error({ err: exception, correlationId }, 'Web page failed');
    return page(
      500,
      W.errors.serverTitle,
      W.errors.server,
      correlationId ? W.errors.reference(correlationId) : undefined,
    );
  }
}
