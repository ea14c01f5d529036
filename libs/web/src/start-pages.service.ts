import { Injectable } from '@nestjs/common';
import type { VNode } from 'preact';
import { RegistryService } from '@app/registry/registry.service';
import { EnrolmentService } from '@app/registry/enrolment.service';
import { ReportService } from '@app/reporting/report.service';
import { BoardDashboardService } from './board-dashboard.service';
import { AdminStartPage } from './pages/admin.pages';
import { BoardPage } from './pages/board.page';
import { CoordinatorStartPage } from './pages/coordinator.pages';
import { ChooseAssociationPage, EvaluatorStartPage } from './pages/start.pages';
import { currentQuarter, defaultPeriod, periodLabel } from './period-choices';
import type { WebSession } from './web-session.service';
import { figuresOrNull } from './figures';

/** The start page of each role at `/`; every other page of the role is reachable by links from it. */
@Injectable()
export class StartPages {
  constructor(
    private readonly registry: RegistryService,
    private readonly enrolments: EnrolmentService,
    private readonly reports: ReportService,
    private readonly board: BoardDashboardService,
  ) {}

  async render(session: WebSession, query: Record<string, unknown>, flash: string | null): Promise<VNode> {
    const scope = session.scope;
    switch (scope.role) {
      case 'coordinator': {
        const quarter = currentQuarter();
        const interventions = await this.registry.listInterventions(scope);
        const items = await Promise.all(
          interventions.map(async (intervention) => {
            const [open, figures] = await Promise.all([
              this.enrolments.list(scope, intervention.id, { status: 'open', page: 1, pageSize: 1 }),
              figuresOrNull(this.reports.interventionFigures(scope, intervention.id, quarter.code)),
            ]);
            return { intervention, open: open.total, quarter: figures };
          }),
        );
        return CoordinatorStartPage({ session, flash, quarterLabel: periodLabel(quarter.code), items });
      }
      case 'evaluator': {
        const [associations, interventions] = await Promise.all([
          this.registry.listAssociations(scope),
          this.registry.listInterventions(scope),
        ]);
        return EvaluatorStartPage({ session, flash, associations, interventions, period: defaultPeriod() });
      }
      case 'board': {
        const associations = await this.registry.listAssociations(scope);
        if (associations.length !== 1) return ChooseAssociationPage({ session, associations });
        const data = await this.board.build(scope, associations[0], associations, query.period);
        const surveys = await this.board.surveys(scope, data);
        return BoardPage({ session, flash, data, surveys });
      }
      case 'admin':
        return AdminStartPage({ session, flash });
    }
  }
}
