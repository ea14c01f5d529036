import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { PurgedFiguresRepository } from '@app/aggregation/purged-figures.repository';
import {
  addCounts,
  identifierProblem,
  parsePeriod,
  previousYearPeriod,
  textProblem,
  type PeriodCounts,
} from '@app/domain';
import { badField } from '@app/http/field-errors.exception';
import { InterventionAccess } from '@app/registry/intervention-access';
import { RegistryRepository } from '@app/registry/registry.repository';
import { audienceOf } from './report-audience';
import { goalLines, withShares, type ReportBody } from './report-body';
import type { MaskedReportBody } from './report-masking';
import { MaskedReportService } from './masked-report.service';
import { periodFor } from './report-period';
import { ReportRepository } from './report.repository';
import { ReportService } from './report.service';
import { SetFiguresService } from './set-figures.service';

export type RegionalReport = (ReportBody | MaskedReportBody) & {
  associations: (ReportBody | MaskedReportBody)[];
};

/** Reports over more than one stored scope: a chosen set of an association's insatser, and a region. */
@Injectable()
export class CombinedReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportService,
    private readonly repository: ReportRepository,
    private readonly registry: RegistryRepository,
    private readonly access: InterventionAccess,
    private readonly masking: MaskedReportService,
    private readonly sets: SetFiguresService,
    private readonly purged: PurgedFiguresRepository,
  ) {}

  /**
   * E.g. "Samverkansteamen för unga" = three youth teams. Persons and the median do not add up over
   * interventions, so the set is counted from its rows, with the same rules as every stored result, or,
   * where retention has deleted rows, from what it kept (SetFiguresService).
   */
  async setReport(
    caller: AccessScope,
    associationId: string,
    interventionIds: string[],
    name: unknown,
    periodCode: unknown,
    mask = false,
  ): Promise<ReportBody | MaskedReportBody> {
    const audience = audienceOf(caller, mask);
    const m = this.dataSource.manager;
    const { association, interventions: inScope } = await this.access.requireAssociationWithInterventions(
      m,
      caller,
      associationId,
    );
    const chosen = interventionIds.map((id) => inScope.find((i) => i.id === id));
    if (chosen.some((i) => i === undefined)) {
      throw badField(
        'interventions',
        'every id must be an intervention of this association that you may see',
      );
    }
    if (name !== undefined && (typeof name !== 'string' || name.length > 200))
      throw badField('name', 'must be a text of at most 200 characters');
    // The name ends up in titles and file names: the text rules and identifier filter hold here too.
    const nameProblem =
      typeof name === 'string' ? (textProblem(name) ?? identifierProblem(name, 'text')) : null;
    if (nameProblem) throw badField('name', nameProblem);
    const interventions = chosen as NonNullable<(typeof chosen)[number]>[];
    const startsOn = interventions.map((i) => i.startsOn).sort()[0];
    const period = periodFor(periodCode, startsOn);
    const before = period.kind === 'since_start' ? null : previousYearPeriod(period);
    // The year before only if the set had started by its end.
    const previous = before && before.end >= startsOn ? before : null;
    const [figures, goals] = await Promise.all([
      this.sets.figures(m, associationId, interventionIds, previous ? [period, previous] : [period]),
      period.year === null ? null : this.repository.goals(m, interventionIds, period.year),
    ]);
    const counts = withShares(figures[0].counts);
    const body: ReportBody = {
      scope: {
        type: 'interventionSet',
        id: associationId,
        name:
          (name as string | undefined) ??
          `${association.name}: ${interventions.map((i) => i.name).join(', ')}`,
        interventionIds,
      },
      period: { code: period.code, start: period.start, end: period.end },
      asOf: new Date().toISOString(),
      fresh: true,
      ...counts,
      goals: goalLines(goals, counts, period),
      previousYear: previous
        ? {
            period: { code: previous.code, start: previous.start, end: previous.end },
            ...withShares(figures[1].counts),
          }
        : null,
    };
    if (audience === 'exact') return body;
    // A set counts its insatser's records: its version is that of the association's results for the periods,
    // and of its insatser's (a year frozen by retention keeps the association's, while an insats of the set
    // that was not purged can still change).
    const periods = [period.code, ...(body.previousYear ? [body.previousYear.period.code] : [])];
    return this.masking.mask(
      body,
      {
        cacheId: `set:${[...interventionIds].sort().join(',')}`,
        source: { set: { associationId, interventionIds: [...interventionIds] } },
        versionOf: periods.flatMap((periodCode) => [
          { scopeType: 'association' as const, scopeId: associationId, periodCode },
          ...interventionIds.map((scopeId) => ({ scopeType: 'intervention' as const, scopeId, periodCode })),
        ]),
      },
      association.disclosureThreshold,
    );
  }

  /**
   * A county's shared evaluator: each association's report side by side, and their sum. Persons are
   * distinct within each association and added up over associations.
   */
  async regionalReport(
    caller: AccessScope,
    associationIds: string[] | undefined,
    periodCode: unknown,
    mask = false,
  ): Promise<RegionalReport> {
    const audience = audienceOf(caller, mask);
    const m = this.dataSource.manager;
    const associations = associationIds
      ? await Promise.all(associationIds.map((id) => this.access.requireAssociation(m, caller, id)))
      : await this.registry.listAssociations(m, caller);
    if (associations.length === 0) throw badField('associations', 'there is no association in your scope');
    const starts = new Map<string, string>();
    for (const i of await this.registry.listInterventions(m, caller)) {
      const current = starts.get(i.associationId);
      if (current === undefined || i.startsOn < current) starts.set(i.associationId, i.startsOn);
    }
    const regionStart = [...starts.values()].sort()[0];
    if (regionStart === undefined)
      throw badField('associations', 'the associations have no interventions yet');
    const period = periodFor(periodCode, regionStart);
    // Associations that had not started by the end of the period are left out of the region's figures.
    const included = associations.filter((a) => (starts.get(a.id) ?? '9999') <= period.end);
    const parts = await Promise.all(
      included.map((a) => this.reports.exactAssociationReport(caller, a.id, periodCode)),
    );
    const ids = included.map((a) => a.id);
    const total = withShares({
      ...addCounts(parts as PeriodCounts[]),
      // Over the exits of every insats of the region, with the days retention kept of purged ones.
      medianDaysEnrolled: await this.purged.medianDaysEnrolled(m, { associationIds: ids }, period),
    });
    const previousParts = parts.map((p) => p.previousYear).filter((p) => p !== null);
    const previous = previousParts.length
      ? {
          period: previousParts[0].period,
          ...withShares({
            ...addCounts(previousParts as PeriodCounts[]),
            medianDaysEnrolled: await this.purged.medianDaysEnrolled(
              m,
              { associationIds: ids },
              parsePeriod(previousParts[0].period.code),
            ),
          }),
        }
      : null;
    const body: ReportBody = {
      scope: {
        type: 'region',
        id: ids.join(','),
        name: included.map((a) => a.name).join(' + '),
        associationIds: ids,
      },
      period: { code: period.code, start: period.start, end: period.end },
      asOf:
        parts
          .map((p) => p.asOf)
          .filter((x): x is string => x !== null)
          .sort()[0] ?? null,
      fresh: parts.every((p) => p.fresh),
      ...total,
      goals: [],
      previousYear: previous,
    };
    if (audience === 'exact') return { ...body, associations: parts };
    // The strictest threshold of the region protects its sum.
    const k = Math.max(...included.map((a) => a.disclosureThreshold));
    const periods = [period.code, ...(previous ? [previous.period.code] : [])];
    const region = await this.masking.mask(
      body,
      {
        cacheId: `region:${[...ids].sort().join(',')}`,
        source: { stored: ids.map((id) => ({ scopeType: 'association' as const, scopeId: id })) },
        versionOf: ids.flatMap((id) =>
          periods.map((periodCode) => ({ scopeType: 'association' as const, scopeId: id, periodCode })),
        ),
      },
      k,
    );
    return {
      ...region,
      associations: await Promise.all(
        parts.map((p) => this.reports.associationReport(caller, p.scope.id, periodCode, true)),
      ),
    };
  }
}
