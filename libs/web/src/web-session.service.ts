import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { AuthService } from '@app/auth/auth.service';
import { ScopeRepository } from '@app/auth/scope.repository';
import { AppConfig } from '@config/config.module';
import { WebSessionRepository, type WebSessionRow } from './web-session.repository';

export const SESSION_COOKIE = 'uppfoljning_session';
/** Login has no session yet: its form is protected by a double-submit token in this cookie. */
export const LOGIN_CSRF_COOKIE = 'uppfoljning_login_csrf';

export interface WebSession extends WebSessionRow {
  scope: AccessScope;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Constant-time comparison of two tokens (a CSRF token against the session's). */
export function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Server-side sessions of the web pages, stored in PostgreSQL so every API replica sees them and logout
 * ends them. Sign-in goes through the API's own AuthService.login (same password check and audit row).
 */
@Injectable()
export class WebSessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: WebSessionRepository,
    private readonly auth: AuthService,
    private readonly scopes: ScopeRepository,
    private readonly config: AppConfig,
  ) {}

  private get idleMinutes() {
    return this.config.env.WEB_SESSION_IDLE_MINUTES;
  }
  private get maxHours() {
    return this.config.env.WEB_SESSION_MAX_HOURS;
  }

  /** Signs in (throws 401 on bad credentials, like the API) and sets the session cookie. */
  async signIn(req: Request, res: Response, email: string, password: string): Promise<AccessScope> {
    const { accessToken } = await this.auth.login(email, password);
    // The token was minted a line above by our own AuthService: its subject is the user id.
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')) as {
      sub: string;
      ver: number;
    };
    const userId = claims.sub;
    const scope = await this.scopes.loadScope(userId, claims.ver);
    if (!scope) throw new Error('A user who just signed in has no scope');
    const token = newToken();
    const m = this.dataSource.manager;
    await this.sessions.deleteExpired(m, this.idleMinutes, this.maxHours);
    await this.sessions.insert(m, {
      tokenHash: sha256(token),
      userId,
      // A password, role, grant or active change bumps the version: the session ends like a token.
      userVersion: claims.ver,
      csrfToken: newToken(),
    });
    res.cookie(SESSION_COOKIE, token, this.cookieOptions(req, this.maxHours * 3_600_000));
    res.clearCookie(LOGIN_CSRF_COOKIE, this.cookieOptions(req));
    return scope;
  }

  /**
   * The session of this request with the caller's scope resolved as for a bearer token (the same
   * ScopeRepository call), or null when there is none, it expired, or the user may no longer sign in.
   */
  async resolve(req: Request): Promise<WebSession | null> {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) return null;
    const m = this.dataSource.manager;
    const row = await this.sessions.touch(m, sha256(token), this.idleMinutes, this.maxHours);
    if (!row) return null;
    const scope = row.userVersion === null ? null : await this.scopes.loadScope(row.userId, row.userVersion);
    if (!scope) {
      await this.sessions.delete(m, row.tokenHash);
      return null;
    }
    return {
      ...row,
      scope: { ...scope, correlationId: req.headers['x-correlation-id'] as string | undefined },
    };
  }

  async signOut(req: Request, res: Response, session: WebSession | null): Promise<void> {
    if (session) await this.sessions.delete(this.dataSource.manager, session.tokenHash);
    res.clearCookie(SESSION_COOKIE, this.cookieOptions(req));
  }

  /** A one-time message shown on the next page ("Sparat"): post/redirect/get keeps it across the redirect. */
  async flash(session: WebSession, message: string): Promise<void> {
    await this.sessions.setFlash(this.dataSource.manager, session.tokenHash, message);
  }

  async takeFlash(session: WebSession): Promise<string | null> {
    if (!session.flash) return null;
    await this.sessions.setFlash(this.dataSource.manager, session.tokenHash, null);
    return session.flash;
  }

  /** The double-submit token of the login form: reuses the cookie's value if present. */
  loginCsrf(req: Request, res: Response): string {
    const existing = readCookie(req, LOGIN_CSRF_COOKIE);
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = newToken();
    res.cookie(LOGIN_CSRF_COOKIE, token, this.cookieOptions(req, 3_600_000));
    return token;
  }

  isSecure(req: Request): boolean {
    return req.secure || (this.config.env.TRUST_PROXY && req.headers['x-forwarded-proto'] === 'https');
  }

  private cookieOptions(req: Request, maxAge?: number) {
    return { httpOnly: true, sameSite: 'lax' as const, secure: this.isSecure(req), path: '/', maxAge };
  }
}
