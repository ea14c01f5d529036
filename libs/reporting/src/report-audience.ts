import { ForbiddenException } from '@nestjs/common';
import type { AccessScope } from '@app/access/access-scope';
import { allows } from '@app/access/policy';

/** Exact figures for evaluators and admins; board members only ever get disclosure-controlled ones. */
export type Audience = 'exact' | 'masked';

/**
 * `mask` asks for disclosure control (publication). Read off the policy table: readExactReports may
 * choose, readMaskedReports always gets masked figures whatever is asked, anyone else gets none.
 */
export function audienceOf(caller: AccessScope, mask: boolean): Audience {
  if (allows('readExactReports', caller.role)) return mask ? 'masked' : 'exact';
  if (allows('readMaskedReports', caller.role)) return 'masked';
  throw new ForbiddenException(`Reports are not available to the role ${caller.role}`);
}
