import { ForbiddenException } from '@nestjs/common';
import type { AccessScope } from '@app/auth/access-scope';

/** Exact figures for evaluators and admins; board members only ever get disclosure-controlled ones. */
export type Audience = 'exact' | 'masked';

/** `mask` asks for disclosure control (publication); a board member always gets it, whatever is asked. */
export function audienceOf(caller: AccessScope, mask: boolean): Audience {
  if (caller.role === 'admin' || caller.role === 'evaluator') return mask ? 'masked' : 'exact';
  if (caller.role === 'board') return 'masked';
  throw new ForbiddenException('Reports are for evaluators, admins and board members');
}
