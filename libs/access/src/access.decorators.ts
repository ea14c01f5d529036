import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AccessScope } from './access-scope';
import type { Permission } from './policy';

export const IS_PUBLIC = 'access:public';
export const PERMISSION = 'access:permission';

/** No token needed (login, health, API docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The permission of POLICY a caller's role needs for this route; others get 403. */
export const Can = (permission: Permission) => SetMetadata(PERMISSION, permission);

/** The caller's resolved scope, set by the auth guard. */
export const Scope = createParamDecorator((_data: unknown, ctx: ExecutionContext): AccessScope => {
  return ctx.switchToHttp().getRequest<{ scope: AccessScope }>().scope;
});
