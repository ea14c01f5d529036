import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import type { AccessScope } from '@app/access/access-scope';
import { IS_PUBLIC, PERMISSION } from '@app/access/access.decorators';
import { allows, type Permission } from '@app/access/policy';
import { UUID } from '@app/http/id.pipe';
import { ScopeRepository } from './scope.repository';

export interface TokenClaims {
  sub: string;
  /** The user's token version when the token was issued (see ScopeRepository.loadScope). */
  ver: number;
}

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(), and the caller's role
 * must hold the route's @Can permission (POLICY). The user's role, scope and token version are re-read
 * from the database on each request, so a deactivated user, a changed password, role or grant takes
 * effect at once rather than when the token expires.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly scopes: ScopeRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { scope?: AccessScope }>();
    const token = this.bearerToken(request);
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw new UnauthorizedException('The access token is invalid or has expired');
    }
    // A token signed with our secret but not made by us (sub not a user id) is as invalid as a forged one.
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub) || !Number.isInteger(claims.ver))
      throw new UnauthorizedException('The access token is invalid or has expired');
    const scope = await this.scopes.loadScope(claims.sub, claims.ver);
    if (!scope) throw new UnauthorizedException('The access token is no longer valid; log in again');
    request.scope = { ...scope, correlationId: request.headers['x-correlation-id'] as string | undefined };

    // Fail closed: boot refuses a route without @Can or @Public, and this refuses it too.
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION, targets);
    if (!permission || !allows(permission, scope.role)) {
      throw new ForbiddenException(`This call is not allowed for the role ${scope.role}`);
    }
    return true;
  }

  private bearerToken(request: Request): string {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('Missing bearer token (Authorization: Bearer <token>)');
    return match[1];
  }
}
