import { Injectable } from '@nestjs/common';
import type { AccessScope } from '@app/auth/access-scope';
import { RegistryService } from '@app/registry/registry.service';
import type { AssociationView, InterventionView } from '@app/registry/registry.dto';
import type { MaskedReportBody } from '@app/reporting/report-masking';
import { ReportService } from '@app/reporting/report.service';
import type { BoardDashboard, BoardInsats } from './pages/board.page';
import { defaultPeriod, lastEightQuarters, periodOptions, yearsSince } from './period-choices';
import { standOut } from './stand-out';

type Goal = MaskedReportBody['goals'][number];

/**
 * The board's dashboard of one association, built only from disclosure-controlled report bodies
 * (ReportService with mask = true), whoever looks: the dashboard never shows an exact small count.
 */
@Injectable()
export class BoardDashboardService {
  constructor(
    private readonly registry: RegistryService,
    private readonly reports: ReportService,
  ) {}

  async build(
    scope: AccessScope,
    association: AssociationView,
    associations: AssociationView[],
    requestedPeriod: unknown,
  ): Promise<BoardDashboard> {
    const interventions = await this.registry.listInterventions(scope, association.id);
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
    const [whole, parts, trend] = await Promise.all([
      this.reports.associationReport(scope, association.id, period, true).then(masked),
      Promise.all(
        interventions
          .filter((i) => i.startsOn <= periodEndOf(period, i))
          .map(async (i) => ({
            i,
            r: masked(await this.reports.interventionReport(scope, i.id, period, true)),
          })),
      ),
      Promise.all(
        quarters.map(async (q) => ({
          q,
          r: masked(await this.reports.associationReport(scope, association.id, q, true)),
        })),
      ),
    ]);
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
      asOf: whole.asOf,
      fresh: whole.fresh && parts.every((p) => p.r.fresh),
      threshold: whole.disclosureControl.threshold,
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
function periodEndOf(code: string, _i: InterventionView): string {
  const m = /^(\d{4})(?:-(H|Q|YTD-Q)([1-4]))?$/.exec(code);
  if (!m) return '9999-12-31';
  if (!m[2]) return `${m[1]}-12-31`;
  const n = Number(m[3]);
  if (m[2] === 'H') return `${m[1]}-${n === 1 ? '06-30' : '12-31'}`;
  return quarterEnd(`${m[1]}-Q${n}`);
}
