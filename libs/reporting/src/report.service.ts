import { ForbiddenException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/auth/access-scope';
import {
  emptyPeriodCounts,
  parsePeriod,
  PeriodCodeError,
  previousYearPeriod,
  todayInStockholm,
  type Period,
} from '@app/domain';
import { badField } from '@app/http/field-errors.exception';
import { InterventionAccess } from '@app/registry/intervention-access';
import { RegistryRepository } from '@app/registry/registry.repository';
import { goalLines, withShares, type ReportBody } from './report-body';
import { maskReport, type MaskedReportBody } from './report-masking';
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

/** Exact figures for evaluators and admins; board members only ever get disclosure-controlled ones. */
type Audience = 'exact' | 'masked';

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
    const audience = this.audienceOf(caller, mask);
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
    return this.deliver(await this.build(scope, periodCode), scope, audience);
  }

  async associationReport(
    caller: AccessScope,
    associationId: string,
    periodCode: unknown,
    mask = false,
  ): Promise<ReportBody | MaskedReportBody> {
    const audience = this.audienceOf(caller, mask);
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
    return this.deliver(await this.build(scope, periodCode), scope, audience);
  }

  private deliver(body: ReportBody, scope: ReportScope, audience: Audience): ReportBody | MaskedReportBody {
    return audience === 'masked' ? maskReport(body, scope.disclosureThreshold) : body;
  }

  private audienceOf(caller: AccessScope, mask: boolean): Audience {
    if (caller.role === 'admin' || caller.role === 'evaluator') return mask ? 'masked' : 'exact';
    if (caller.role === 'board') return 'masked';
    throw new ForbiddenException('Reports are for evaluators, admins and board members');
  }

  private async build(scope: ReportScope, periodCode: unknown): Promise<ReportBody> {
    const m = this.dataSource.manager;
    const period = this.parse(periodCode, scope.startsOn);
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

  private parse(code: unknown, scopeStart: string): Period {
    if (typeof code !== 'string' || code === '')
      throw badField('period', 'is required, e.g. 2024, 2024-H1, 2024-Q3, 2024-YTD-Q2 or since-start');
    let period: Period;
    try {
      period = parsePeriod(code, { sinceStart: scopeStart, today: todayInStockholm() });
    } catch (error) {
      if (error instanceof PeriodCodeError) throw badField('period', error.message);
      throw error;
    }
    if (period.end < scopeStart) throw badField('period', `ends before the scope started (${scopeStart})`);
    return period;
  }
}
