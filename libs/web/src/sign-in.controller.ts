import {
  Body,
  Controller,
  Get,
  Header,
  Post,
  Req,
  Res,
  UnauthorizedException,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Public } from '@app/access/access.decorators';
import { WEB_LABELS as W } from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';
import { redirect, sendPage } from './html-response';
import { text, type FormBody } from './form-input';
import { SignInPage } from './pages/sign-in.page';
import { StartPages } from './start-pages.service';
import { APP_CSS } from './styles';
import { LOGIN_CSRF_COOKIE, readCookie, sameToken, WebSessionService } from './web-session.service';
import { CsrfRejectedException, type WebRequest } from './web-session.guard';
import { WebExceptionFilter } from './web-exception.filter';

/** `GET /`: the login form for a visitor, the role's start page once signed in. */
@ApiExcludeController()
@Public()
@UseFilters(WebExceptionFilter)
@Controller()
export class SignInController {
  constructor(
    private readonly sessions: WebSessionService,
    private readonly start: StartPages,
  ) {}

  @Get()
  async home(@Req() req: WebRequest, @Res() res: Response): Promise<void> {
    const session = await this.sessions.resolve(req);
    if (!session) {
      const notice = req.query.utloggad === '1' ? W.login.loggedOut : null;
      return sendPage(req, res, SignInPage({ csrf: this.sessions.loginCsrf(req, res), notice }));
    }
    req.web = session;
    const flash = await this.sessions.takeFlash(session);
    return sendPage(req, res, await this.start.render(session, req.query as Record<string, unknown>, flash));
  }

  @Post('logga-in')
  @UseGuards(ThrottlerGuard)
  async signIn(@Req() req: Request, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    if (!sameToken(body._csrf, readCookie(req, LOGIN_CSRF_COOKIE) ?? '')) throw new CsrfRejectedException();
    const email = text(body, 'email');
    const password = typeof body.password === 'string' ? body.password : '';
    const errors: FieldError[] = [];
    if (!email) errors.push({ field: 'email', message: W.login.emailMissing });
    if (!password) errors.push({ field: 'password', message: W.login.passwordMissing });
    if (email && password && email.length <= 254 && password.length <= 1024) {
      try {
        await this.sessions.signIn(req, res, email, password);
        return redirect(res, '/');
      } catch (error) {
        if (!(error instanceof UnauthorizedException)) throw error;
        errors.push({ field: 'email', message: W.login.failed });
      }
    } else if (errors.length === 0) errors.push({ field: 'email', message: W.login.failed });
    const csrf = this.sessions.loginCsrf(req, res);
    return sendPage(req, res, SignInPage({ csrf, email, errors }), 400);
  }

  @Post('logga-ut')
  async signOut(@Req() req: Request, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    const session = await this.sessions.resolve(req);
    if (session && !sameToken(body._csrf, session.csrfToken)) throw new CsrfRejectedException();
    await this.sessions.signOut(req, res, session);
    return redirect(res, '/?utloggad=1');
  }

  @Get('web/app.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  css(): string {
    return APP_CSS;
  }
}
