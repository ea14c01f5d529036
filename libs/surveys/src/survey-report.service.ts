import { ForbiddenException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { allows } from '@app/access/policy';
import { badField } from '@app/http/field-errors.exception';
import { InterventionAccess } from '@app/registry/intervention-access';
import { discloseSurveyGroups } from './survey-disclosure';
import { withPreviousYear } from './survey-results';
import { SurveyRepository } from './survey.repository';

export type SurveyScope = { type: 'intervention' | 'association'; id: string };

/** Exact figures for evaluators and admins (unless masking is asked for); board members always masked. */
function masked(caller: AccessScope, mask: boolean): boolean {
  if (allows('readExactReports', caller.role)) return mask;
  if (allows('readMaskedReports', caller.role)) return true;
  throw new ForbiddenException('Survey results are for evaluators, admins and board members');
}

export function parseSurveyYear(value: unknown): number {
  const year = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : NaN;
  if (!(year >= 1990 && year <= 2100))
    throw badField('year', 'must be a year between 1990 and 2100, e.g. 2021');
  return year;
}

/** Survey results read from stored rows (this year's and last year's); a read never scans answers. */
@Injectable()
export class SurveyReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SurveyRepository,
    private readonly access: InterventionAccess,
  ) {}

  async report(caller: AccessScope, scope: SurveyScope, year: number, mask = false) {
    const withhold = masked(caller, mask);
    const m = this.dataSource.manager;
    const { name, associationId, threshold } =
      scope.type === 'intervention'
        ? await this.access.requireWithAssociation(m, caller, scope.id).then((i) => ({
            name: i.name,
            associationId: i.associationId,
            threshold: i.association.disclosureThreshold,
          }))
        : await this.access.requireAssociation(m, caller, scope.id).then((a) => ({
            name: a.name,
            associationId: a.id,
            threshold: a.disclosureThreshold,
          }));
    // One snapshot: "nothing pending" always describes the results read with it.
    const { pending, current, previous } = await this.repository.reportInputs(
      m,
      associationId,
      scope.type,
      scope.id,
      year,
    );
    const groups = withPreviousYear(current?.body ?? { groups: [] }, previous?.body ?? null);
    // Results stored before responses had record keys are recomputed by the worker (migration
    // SurveyResponseKeys marks them); until then the board gets no survey figures rather than unkeyed ones.
    const unkeyed = (r: typeof current) => r !== null && r.body.groups.length > 0 && !r.body.keys;
    if (withhold && (unkeyed(current) || unkeyed(previous)))
      throw new ServiceUnavailableException(
        'These survey results are being recomputed for disclosure control; try again in a few minutes',
      );
    return {
      scope: { type: scope.type, id: scope.id, name },
      year,
      asOf: current?.computedAt.toISOString() ?? null,
      fresh: !pending,
      ...(withhold ? { disclosureControl: { threshold } } : {}),
      groups: withhold
        ? discloseSurveyGroups(groups, threshold, {
            current: current?.body.keys ?? {},
            previous: previous?.body.keys ?? {},
          })
        : groups,
    };
  }
}
