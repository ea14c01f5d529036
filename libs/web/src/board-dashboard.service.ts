import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { todayInStockholm } from '@app/domain';
import type { AccessScope } from '@app/access/access-scope';
import { RegistryService } from '@app/registry/registry.service';
import type { AssociationView, InterventionView } from '@app/registry/registry.dto';
import type { MaskedReportBody } from '@app/reporting/report-masking';
import { ReportService } from '@app/reporting/report.service';
import { SurveyReportService } from '@app/surveys/survey-report.service';
import type { SurveyReport } from './components/survey-results';
import type { BoardDashboard, BoardInsats } from './pages/board.page';
import { defaultPeriod, lastEightQuarters, periodOptions, yearsSince } from './period-choices';
import { DashboardFingerprintRepository } from './dashboard-fingerprint.repository';
import { standOut } from './stand-out';

/** Dashboards kept per association, period and day; each is reused only while its fingerprint holds. */
const CACHE_SIZE = 200;

type Goal = MaskedReportBody['goals'][number];

/**
 * The board's dashboard of one association, built only from disclosure-controlled report bodies
 * (ReportService with mask = true), whoever looks: the dashboard never shows an exact small count.
 */
@Injectable()
export class BoardDashboardService {
  private readonly cache = new Map<string, { fingerprint: string; data: BoardDashboard }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly reports: ReportService,
    private readonly fingerprints: DashboardFingerprintRepository,
    private readonly surveyReports: SurveyReportService,
  ) {}

  /**
   * The indicator surveys of the dashboard's year in the service's masked mode (whoever looks): a question
   * is shown with figures only when it has at least k answers.
   */
  surveys(scope: AccessScope, data: BoardDashboard): Promise<SurveyReport> {
    const chosen = Number(data.period.slice(0, 4));
    const year = chosen >= 1990 && chosen <= 2100 ? chosen : Number(todayInStockholm().slice(0, 4));
    return this.surveyReports.report(scope, { type: 'association', id: data.association.id }, year, true);
  }

  /**
   * The dashboard, computed from the masked report bodies, or the same dashboard computed earlier when
   * nothing it depends on has changed since (same insatser and threshold, same stored results, no new
   * recompute marks, same goals, same day). The scope check has already run for this caller: the cache
   * holds only disclosure-controlled figures of a whole association, the same for everyone who may see it.
   */
  async build(
    scope: AccessScope,
    association: AssociationView,
    associations: AssociationView[],
    requestedPeriod: unknown,
  ): Promise<BoardDashboard> {
    const interventions = await this.registry.listInterventions(scope, association.id);
    const ids = interventions.map((i) => i.id);
    const key = JSON.stringify([
      association.id,
      association.disclosureThreshold,
      typeof requestedPeriod === 'string' ? requestedPeriod.slice(0, 20) : null,
      todayInStockholm(),
      interventions.map((i) => [i.id, i.name, i.startsOn]),
    ]);
    const fingerprint = await this.fingerprints.fingerprint(this.dataSource.manager, association.id, ids);
    const hit = this.cache.get(key);
    if (hit && hit.fingerprint === fingerprint) return { ...hit.data, association, associations };
    const data = await this.compute(scope, association, associations, interventions, requestedPeriod);
    this.cache.delete(key);
    this.cache.set(key, { fingerprint, data });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return data;
  }

  private async compute(
    scope: AccessScope,
    association: AssociationView,
    associations: AssociationView[],
    interventions: InterventionView[],
    requestedPeriod: unknown,
  ): Promise<BoardDashboard> {
    const start = interventions.map((i) => i.startsOn).sort()[0];
    const periods = periodOptions(yearsSince(start));
    const period =
      typeof requestedPeriod === 'string' && periods.some((p) => p.value === requestedPeriod)
        ? requestedPeriod
        : defaultPeriod();
    if (interventions.length === 0) {
      return {
        association,
        associations,
        period,
        periods,
        asOf: null,
        fresh: true,
        threshold: association.disclosureThreshold,
        standOut: [],
        insatser: [],
        trend: [],
      };
    }
    const masked = (r: unknown) => r as MaskedReportBody;
    const quarters = lastEightQuarters().filter((q) => quarterEnd(q) >= start);
    // Three batched reads instead of 29 reports one by one: the period and the eight quarters of the
    // association, and every insats started by the period's end.
    const started = interventions.filter((i) => i.startsOn <= periodEndOf(period));
    const [[whole, ...trendBodies], insatsBodies] = await Promise.all([
      this.reports.associationReports(scope, association.id, [period, ...quarters], true),
      started.length === 0
        ? Promise.resolve([])
        : this.reports.interventionReports(
            scope,
            association.id,
            { interventionIds: started.map((i) => i.id) },
            period,
            true,
          ),
    ]);
    const bodyOf = new Map(insatsBodies.map((b) => [b.scope.id, masked(b)]));
    const parts = started.map((i) => ({ i, r: bodyOf.get(i.id)! }));
    const trend = quarters.map((q, n) => ({ q, r: masked(trendBodies[n]) }));
    const insatser: BoardInsats[] = parts.map(({ i, r }) => {
      const goal = (metric: Goal['metric']) => r.goals.find((g) => g.metric === metric);
      return {
        name: i.name,
        goals: {
          participants: goal('participants')?.target ?? null,
          newParticipants: goal('new_participants')?.target ?? null,
          shareWork: goal('share_work_or_studies')?.target ?? null,
          shareOrdinary: goal('share_ordinary_intervention')?.target ?? null,
        },
        outcome: {
          participants: r.active.total,
          newParticipants: r.new.total,
          shareWork: r.shareWorkOrStudies.total,
          shareOrdinary: r.shareOrdinaryIntervention.total,
        },
        women: r.active.woman,
        men: r.active.man,
      };
    });
    const lines = standOut(
      parts.map(({ i, r }) => ({
        name: i.name,
        goals: r.goals.map((g) => ({ metric: g.metric, target: g.target, actual: g.actual })),
        shareWorkOrStudies: { woman: r.shareWorkOrStudies.woman, man: r.shareWorkOrStudies.man },
      })),
    );
    return {
      association,
      associations,
      period,
      periods,
      asOf: masked(whole).asOf,
      fresh: whole.fresh && parts.every((p) => p.r.fresh),
      threshold: masked(whole).disclosureControl.threshold,
      standOut: lines,
      insatser,
      trend: trend.map(({ q, r }) => ({
        quarter: q,
        women: r.new.woman,
        men: r.new.man,
        total: r.new.total,
      })),
    };
  }
}

function quarterEnd(code: string): string {
  const [y, q] = [code.slice(0, 4), Number(code.slice(6))];
  return `${y}-${['03-31', '06-30', '09-30', '12-31'][q - 1]}`;
}

/** Last day of a period code (since-start: open-ended), to leave out insatser not yet started then. */
function periodEndOf(code: string): string {
  const m = /^(\d{4})(?:-(H|Q|YTD-Q)([1-4]))?$/.exec(code);
  if (!m) return '9999-12-31';
  if (!m[2]) return `${m[1]}-12-31`;
  const n = Number(m[3]);
  if (m[2] === 'H') return `${m[1]}-${n === 1 ? '06-30' : '12-31'}`;
  return quarterEnd(`${m[1]}-Q${n}`);
}
