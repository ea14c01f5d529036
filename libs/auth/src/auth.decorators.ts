import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@app/domain';
import type { AccessScope } from './access-scope';

export const IS_PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';

/** No token needed (login, health, API docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** The caller's resolved scope, set by the auth guard. */
export const Scope = createParamDecorator((_data: unknown, ctx: ExecutionContext): AccessScope => {
  return ctx.switchToHttp().getRequest<{ scope: AccessScope }>().scope;
});
