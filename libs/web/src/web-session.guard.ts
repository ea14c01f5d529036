import {
  CallHandler,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PERMISSION } from '@app/access/access.decorators';
import { allows, type Permission } from '@app/access/policy';
import { sameToken, WebSession, WebSessionService } from './web-session.service';

/** No live session: the page sends the visitor to the login form. */
export class LoginRequiredException extends HttpException {
  constructor() {
    super('Login required', 401);
  }
}

/** A form posted without the session's CSRF token. */
export class CsrfRejectedException extends ForbiddenException {
  constructor() {
    super('The form token is missing or wrong');
  }
}

export type WebRequest = Request & { web?: WebSession };

/**
 * Guard of every web page: a live server-side session, the permission of the route's @Can(...) (POLICY), and
 * on every POST the session's synchronizer CSRF token in the form field `_csrf`.
 */
@Injectable()
export class WebSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: WebSessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WebRequest>();
    const session = await this.sessions.resolve(req);
    if (!session) throw new LoginRequiredException();
    req.web = session;
    // A file form's body is read by multer after the guards: MultipartCsrf checks its token then.
    const deferred =
      this.reflector.get<boolean | undefined>(MULTIPART_FORM, context.getHandler()) === true &&
      req.is('multipart/form-data') === 'multipart/form-data';
    if (req.method !== 'GET' && req.method !== 'HEAD' && !deferred) {
      const body = req.body as Record<string, unknown> | undefined;
      if (!sameToken(body?._csrf, session.csrfToken)) throw new CsrfRejectedException();
    }
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION, [
      context.getHandler(),
      context.getClass(),
    ]);
    // Fail closed, as the API guard: a page without a permission is refused.
    if (!permission || !allows(permission, session.scope.role)) {
      throw new ForbiddenException(`This page is not available to the role ${session.scope.role}`);
    }
    return true;
  }
}

const MULTIPART_FORM = 'web:multipart-form';

/** A route taking a file form: its CSRF token is checked by MultipartCsrf once multer has read the body. */
export const MultipartForm = () => SetMetadata(MULTIPART_FORM, true);

/**
 * Placed after FileInterceptor on a @MultipartForm() route: the same synchronizer-token check as the guard's,
 * on the multipart body, before the handler runs.
 */
@Injectable()
export class MultipartCsrf implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const req = context.switchToHttp().getRequest<WebRequest>();
    const body = req.body as Record<string, unknown> | undefined;
    if (!req.web || !sameToken(body?._csrf, req.web.csrfToken)) throw new CsrfRejectedException();
    return next.handle();
  }
}

/** The request's web session (set by WebSessionGuard). */
export const Session = createParamDecorator((_data: unknown, ctx: ExecutionContext): WebSession => {
  return ctx.switchToHttp().getRequest<WebRequest>().web!;
});
