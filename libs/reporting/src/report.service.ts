import { ForbiddenException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { allows } from '@app/access/policy';
import { emptyPeriodCounts, previousYearPeriod, type Period } from '@app/domain';
import { badField } from '@app/http/field-errors.exception';
import { InterventionAccess } from '@app/registry/intervention-access';
import type { InterventionWithAssociation } from '@app/registry/registry.repository';
import { goalLines, withShares, type GoalTargets, type ReportBody } from './report-body';
import type { MaskedReportBody } from './report-masking';
import { MaskedReportService } from './masked-report.service';
import { audienceOf, type Audience } from './report-audience';
import { periodFor } from './report-period';
import { ReportRepository, type StoredResult } from './report.repository';

/** A body to deliver, with its scope and the stored results (and so their versions) it was made of. */
interface Delivery {
  body: ReportBody;
  scope: ReportScope;
  stored: Map<string, StoredResult>;
}

interface ReportScope {
  type: 'intervention' | 'association';
  id: string;
  name: string;
  startsOn: string;
  interventionIds: string[];
  /** k of the association's disclosure control. */
  disclosureThreshold: number;
}

/** An insats as a report scope, with its association's k. */
function interventionScope(i: InterventionWithAssociation): ReportScope {
  return {
    type: 'intervention',
    id: i.id,
    name: i.name,
    startsOn: i.startsOn,
    interventionIds: [i.id],
    disclosureThreshold: i.association.disclosureThreshold,
  };
}

/** Reports are read from stored period results; a request never scans raw enrolments. */
@Injectable()
export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportRepository,
    private readonly access: InterventionAccess,
    private readonly masking: MaskedReportService,
  ) {}

  /** `mask` asks for disclosure control (publication); a board member always gets it, whatever is asked. */
  async interventionReport(
    caller: AccessScope,
    interventionId: string,
    periodCode: unknown,
    mask = false,
  ): Promise<ReportBody | MaskedReportBody> {
    const audience = audienceOf(caller, mask);
    return this.deliver(await this.interventionBody(caller, interventionId, periodCode), audience);
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
    const intervention = await this.access.requireWithAssociation(
      this.dataSource.manager,
      caller,
      interventionId,
    );
    const scope = interventionScope(intervention);
    return { ...(await this.build(scope, periodCode)), scope };
  }

  async associationReport(
    caller: AccessScope,
    associationId: string,
    periodCode: unknown,
    mask = false,
  ): Promise<ReportBody | MaskedReportBody> {
    const audience = audienceOf(caller, mask);
    return this.deliver(await this.associationBody(caller, associationId, periodCode), audience);
  }

  private async associationBody(caller: AccessScope, associationId: string, periodCode: unknown) {
    const scope = await this.associationScope(caller, associationId);
    return { ...(await this.build(scope, periodCode)), scope };
  }

  /** An association as a report scope, checked against the caller's scope: its insatser and its k. */
  private async associationScope(caller: AccessScope, associationId: string): Promise<ReportScope> {
    const { association, interventions } = await this.access.requireAssociationWithInterventions(
      this.dataSource.manager,
      caller,
      associationId,
    );
    if (interventions.length === 0) throw badField('period', 'the association has no interventions yet');
    return {
      type: 'association',
      id: association.id,
      name: association.name,
      startsOn: interventions.map((i) => i.startsOn).sort()[0],
      interventionIds: interventions.map((i) => i.id),
      disclosureThreshold: association.disclosureThreshold,
    };
  }

  private async deliver(item: Delivery, audience: Audience): Promise<ReportBody | MaskedReportBody> {
    return (await this.deliverMany([item], audience))[0];
  }

  /**
   * Several bodies for one audience; the masked ones from one read of their stored results and cell keys, cached
   * under the versions of the stored results their figures were read from.
   */
  private async deliverMany(
    items: Delivery[],
    audience: Audience,
  ): Promise<(ReportBody | MaskedReportBody)[]> {
    if (audience === 'exact') return items.map((x) => x.body);
    return this.masking.maskMany(
      items.map(({ body, scope, stored }) => {
        const periods = [body.period.code, ...(body.previousYear ? [body.previousYear.period.code] : [])];
        const refs = periods.map((periodCode) => ({ scopeType: scope.type, scopeId: scope.id, periodCode }));
        return {
          body,
          target: {
            cacheId: `${scope.type}:${scope.id}`,
            source: { stored: [{ scopeType: scope.type, scopeId: scope.id }] },
            versionOf: refs,
            versions: refs.flatMap((ref) => {
              const found = stored.get(`${ref.scopeId}/${ref.periodCode}`);
              return found ? [{ ...ref, version: found.version }] : [];
            }),
          },
          k: scope.disclosureThreshold,
        };
      }),
    );
  }

  /**
   * The reports of one association for several periods at once (a dashboard's trend): one scope check, and
   * one query each for the pending marks, the stored results and the goals of every period.
   */
  async associationReports(
    caller: AccessScope,
    associationId: string,
    periodCodes: string[],
    mask = false,
  ): Promise<(ReportBody | MaskedReportBody)[]> {
    const audience = audienceOf(caller, mask);
    const m = this.dataSource.manager;
    const scope = await this.associationScope(caller, associationId);
    const planned = periodCodes.map((code) => {
      const period = periodFor(code, scope.startsOn);
      return { period, previous: this.previousPeriod(scope, period) };
    });
    const years = [...new Set(planned.flatMap((p) => (p.period.year === null ? [] : [p.period.year])))];
    // Pending marks first (see interventionReports): then "fresh" can never label stale results.
    const pendingYears = await this.reports.pendingYears(m, scope.id);
    const [stored, goals] = await Promise.all([
      this.reports.results(
        m,
        'association',
        planned.flatMap((p) => [
          { scopeId: scope.id, periodCode: p.period.code },
          ...(p.previous ? [{ scopeId: scope.id, periodCode: p.previous.code }] : []),
        ]),
      ),
      this.reports.goalsByYear(m, scope.interventionIds, years),
    ]);
    const bodies = planned.map(({ period, previous }) =>
      this.assemble(
        scope,
        period,
        stored.get(`${scope.id}/${period.code}`) ?? null,
        period.year === null ? pendingYears.size > 0 : pendingYears.has(period.year),
        period.year === null ? null : (goals.get(period.year) ?? null),
        previous && { period: previous, stored: stored.get(`${scope.id}/${previous.code}`) ?? null },
      ),
    );
    return this.deliverMany(
      bodies.map((body) => ({ body, scope, stored })),
      audience,
    );
  }

  /**
   * The reports of several interventions of one association at once (an export's sheet per insats):
   * every stored result they need comes from one query, their pending marks and goals from one each,
   * instead of about six queries one after another per insats. Scope is checked as for one report.
   */
  async interventionReports(
    caller: AccessScope,
    associationId: string,
    chosen: { interventionIds?: string[]; startedBy?: string },
    periodCode: unknown,
    mask = false,
  ): Promise<(ReportBody | MaskedReportBody)[]> {
    const audience = audienceOf(caller, mask);
    const m = this.dataSource.manager;
    const { interventions: inScope } = await this.access.requireAssociationWithInterventions(
      m,
      caller,
      associationId,
    );
    const { interventionIds, startedBy } = chosen;
    const planned = inScope
      .filter(
        (i) =>
          (!interventionIds || interventionIds.includes(i.id)) && (!startedBy || i.startsOn <= startedBy),
      )
      .map((i) => {
        const scope = interventionScope(i);
        const period = periodFor(periodCode, i.startsOn);
        return { scope, period, previous: this.previousPeriod(scope, period) };
      });
    if (planned.length === 0) return [];
    const year = planned[0].period.year;
    const ids = planned.map((p) => p.scope.id);
    // In one snapshot: "no mark" means every write so far is in the results read with it.
    const { pending, stored, goals } = await this.reports.reportInputsOfEach(
      m,
      ids,
      planned.flatMap((p) => [
        { scopeId: p.scope.id, periodCode: p.period.code },
        ...(p.previous ? [{ scopeId: p.scope.id, periodCode: p.previous.code }] : []),
      ]),
      year,
    );
    return this.deliverMany(
      planned.map(({ scope, period, previous }) => ({
        scope,
        stored,
        body: this.assemble(
          scope,
          period,
          stored.get(`${scope.id}/${period.code}`) ?? null,
          pending.has(scope.id),
          goals.get(scope.id) ?? null,
          previous && { period: previous, stored: stored.get(`${scope.id}/${previous.code}`) ?? null },
        ),
      })),
      audience,
    );
  }

  private async build(
    scope: ReportScope,
    periodCode: unknown,
  ): Promise<{ body: ReportBody; stored: Map<string, StoredResult> }> {
    const period = periodFor(periodCode, scope.startsOn);
    const previous = this.previousPeriod(scope, period);
    const codes = [period.code, ...(previous ? [previous.code] : [])];
    const { pending, stored, goals } = await this.reports.reportInputs(
      this.dataSource.manager,
      scope,
      codes,
      period.year,
    );
    const of = (code: string) => stored.get(`${scope.id}/${code}`) ?? null;
    const body = this.assemble(
      scope,
      period,
      of(period.code),
      pending,
      goals,
      previous && { period: previous, stored: of(previous.code) },
    );
    return { body, stored };
  }

  private assemble(
    scope: ReportScope,
    period: Period,
    stored: StoredResult | null,
    pending: boolean,
    goals: GoalTargets | null,
    previous: { period: Period; stored: StoredResult | null } | null,
  ): ReportBody {
    const counts = withShares(stored?.counts ?? emptyPeriodCounts());
    return {
      scope: { type: scope.type, id: scope.id, name: scope.name },
      period: { code: period.code, start: period.start, end: period.end },
      asOf: stored?.computedAt.toISOString() ?? null,
      fresh: !pending,
      ...counts,
      goals: goalLines(goals, counts, period),
      previousYear: previous && {
        period: { code: previous.period.code, start: previous.period.start, end: previous.period.end },
        ...withShares(previous.stored?.counts ?? emptyPeriodCounts()),
      },
    };
  }

  /** The same period a year earlier, if the scope had started by its end. */
  private previousPeriod(scope: ReportScope, period: Period): Period | null {
    if (period.kind === 'since_start') return null;
    const previous = previousYearPeriod(period);
    return previous.end < scope.startsOn ? null : previous;
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
    if (!allows('readEnrolments', caller.role))
      throw new ForbiddenException('Participant-level figures are not available to this role');
    return (await this.interventionBody(caller, interventionId, periodCode)).body;
  }
}
