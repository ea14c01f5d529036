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
import type { Role } from '@app/domain';
import { UUID } from '@app/http/id.pipe';
import type { AccessScope } from './access-scope';
import { IS_PUBLIC, ROLES } from './auth.decorators';
import { ScopeRepository } from './scope.repository';

interface TokenClaims {
  sub: string;
}

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(). The user's role and
 * scope are re-read from the database on each request, so a deactivated user or a withdrawn grant
 * takes effect at once rather than when the token expires.
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
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub))
      throw new UnauthorizedException('The access token is invalid or has expired');
    const scope = await this.scopes.loadScope(claims.sub);
    if (!scope) throw new UnauthorizedException('The account is not active');
    request.scope = { ...scope, correlationId: request.headers['x-correlation-id'] as string | undefined };

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(scope.role)) {
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
