import { ForbiddenException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { allows, type AccessScope } from '@app/auth/access-scope';
import { emptyPeriodCounts, previousYearPeriod, type Period } from '@app/domain';
import { badField } from '@app/http/field-errors.exception';
import { InterventionAccess } from '@app/registry/intervention-access';
import { RegistryRepository } from '@app/registry/registry.repository';
import { goalLines, withShares, type ReportBody } from './report-body';
import { maskReport, type MaskedReportBody } from './report-masking';
import { audienceOf, type Audience } from './report-audience';
import { periodFor } from './report-period';
import { ReportRepository } from './report.repository';

interface ReportScope {
  type: 'intervention' | 'association';
  id: string;
  name: string;
  startsOn: string;
  interventionIds: string[];
  /** k of the association's disclosure control. */
  disclosureThreshold: number;
}

/** Reports are read from stored period results; a request never scans raw enrolments. */
@Injectable()
export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportRepository,
    private readonly registry: RegistryRepository,
    private readonly access: InterventionAccess,
  ) {}

  /** `mask` asks for disclosure control (publication); a board member always gets it, whatever is asked. */
  async interventionReport(
    caller: AccessScope,
    interventionId: string,
    periodCode: unknown,
    mask = false,
  ): Promise<ReportBody | MaskedReportBody> {
    const audience = audienceOf(caller, mask);
    const { body, scope } = await this.interventionBody(caller, interventionId, periodCode);
    return this.deliver(body, scope, audience);
  }

  /**
   * The exact report of an association, for code that combines reports and masks the result itself.
   * The caller's scope is enforced here; the audience rule is the combining code's duty.
   */
  async exactAssociationReport(
    caller: AccessScope,
    associationId: string,
    periodCode: unknown,
  ): Promise<ReportBody> {
    return (await this.associationBody(caller, associationId, periodCode)).body;
  }

  private async interventionBody(caller: AccessScope, interventionId: string, periodCode: unknown) {
    const m = this.dataSource.manager;
    const intervention = await this.access.require(m, caller, interventionId);
    const association = await this.access.requireAssociation(m, caller, intervention.associationId);
    const scope: ReportScope = {
      type: 'intervention',
      id: intervention.id,
      name: intervention.name,
      startsOn: intervention.startsOn,
      interventionIds: [intervention.id],
      disclosureThreshold: association.disclosureThreshold,
    };
    return { body: await this.build(scope, periodCode), scope };
  }

  async associationReport(
    caller: AccessScope,
    associationId: string,
    periodCode: unknown,
    mask = false,
  ): Promise<ReportBody | MaskedReportBody> {
    const audience = audienceOf(caller, mask);
    const { body, scope } = await this.associationBody(caller, associationId, periodCode);
    return this.deliver(body, scope, audience);
  }

  private async associationBody(caller: AccessScope, associationId: string, periodCode: unknown) {
    const m = this.dataSource.manager;
    const association = await this.access.requireAssociation(m, caller, associationId);
    const interventions = await this.registry.listInterventions(m, caller, { associationId });
    if (interventions.length === 0) throw badField('period', 'the association has no interventions yet');
    const scope: ReportScope = {
      type: 'association',
      id: association.id,
      name: association.name,
      startsOn: interventions.map((i) => i.startsOn).sort()[0],
      interventionIds: interventions.map((i) => i.id),
      disclosureThreshold: association.disclosureThreshold,
    };
    return { body: await this.build(scope, periodCode), scope };
  }

  private deliver(body: ReportBody, scope: ReportScope, audience: Audience): ReportBody | MaskedReportBody {
    return audience === 'masked' ? maskReport(body, scope.disclosureThreshold) : body;
  }

  private async build(scope: ReportScope, periodCode: unknown): Promise<ReportBody> {
    const m = this.dataSource.manager;
    const period = periodFor(periodCode, scope.startsOn);
    const scopeFilter =
      scope.type === 'intervention' ? { interventionId: scope.id } : { associationId: scope.id };
    const [stored, pending, goals] = await Promise.all([
      this.reports.result(m, scope.type, scope.id, period.code),
      this.reports.pending(m, scopeFilter, period.year),
      period.year === null ? null : this.reports.goals(m, scope.interventionIds, period.year),
    ]);
    const counts = withShares(stored?.counts ?? emptyPeriodCounts());
    return {
      scope: { type: scope.type, id: scope.id, name: scope.name },
      period: { code: period.code, start: period.start, end: period.end },
      asOf: stored?.computedAt.toISOString() ?? null,
      fresh: !pending,
      ...counts,
      goals: goalLines(goals, counts, period),
      previousYear: await this.previousYear(scope, period),
    };
  }

  private async previousYear(scope: ReportScope, period: Period): Promise<ReportBody['previousYear']> {
    if (period.kind === 'since_start') return null;
    const previous = previousYearPeriod(period);
    if (previous.end < scope.startsOn) return null;
    const stored = await this.reports.result(this.dataSource.manager, scope.type, scope.id, previous.code);
    return {
      period: { code: previous.code, start: previous.start, end: previous.end },
      ...withShares(stored?.counts ?? emptyPeriodCounts()),
    };
  }

  /**
   * Exact figures of one intervention for someone who may read its participant rows (its coordinator):
   * they could count those rows themselves, so the figures disclose nothing more. Scope is enforced by
   * the same scoped lookup as every report.
   */
  async interventionFigures(
    caller: AccessScope,
    interventionId: string,
    periodCode: unknown,
  ): Promise<ReportBody> {
    if (!allows('readParticipants', caller.role))
      throw new ForbiddenException('Participant-level figures are not available to this role');
    return (await this.interventionBody(caller, interventionId, periodCode)).body;
  }
}
