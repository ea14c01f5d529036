import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import type { AccessScope } from './access-scope';
import { POLICY, type Permission } from './policy';

export const IS_PUBLIC = 'access:public';
export const PERMISSION = 'access:permission';

/** No token needed (login, health, API docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The permission of POLICY a caller's role needs for this route; others get 403. The API documentation
 * shows it on the operation (`x-permission`), with the roles that hold it.
 */
export const Can = (permission: Permission) =>
  applyDecorators(
    SetMetadata(PERMISSION, permission),
    ApiExtension('x-permission', { name: permission, roles: [...POLICY[permission]] }),
    ApiForbiddenResponse({ description: `Needs ${permission}: ${POLICY[permission].join(', ')}` }),
  );

/** The caller's resolved scope, set by the auth guard. */
export const Scope = createParamDecorator((_data: unknown, ctx: ExecutionContext): AccessScope => {
  return ctx.switchToHttp().getRequest<{ scope: AccessScope }>().scope;
});
