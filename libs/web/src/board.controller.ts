import { Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, Public } from '@app/access/access.decorators';
import { IdPipe } from '@app/http/id.pipe';
import { RegistryService } from '@app/registry/registry.service';
import { BoardDashboardService } from './board-dashboard.service';
import { redirect, sendPage } from './html-response';
import { BoardPage } from './pages/board.page';
import { ChooseAssociationPage } from './pages/start.pages';
import { Session, WebSessionGuard, type WebRequest } from './web-session.guard';
import type { WebSession } from './web-session.service';
import { WebExceptionFilter } from './web-exception.filter';

/** The board's dashboard per association (disclosure control always on, whoever looks). */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Can('readReports')
@Controller('styrelse')
export class BoardController {
  constructor(
    private readonly registry: RegistryService,
    private readonly dashboard: BoardDashboardService,
  ) {}

  @Get()
  async choose(@Req() req: WebRequest, @Res() res: Response, @Session() session: WebSession): Promise<void> {
    const associations = await this.registry.listAssociations(session.scope);
    if (associations.length === 1) return redirect(res, `/styrelse/${associations[0].id}`);
    sendPage(req, res, ChooseAssociationPage({ session, associations }));
  }

  @Get(':id')
  async show(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    // The association picker posts its choice as ?forbund=: follow it, keeping the period.
    if (typeof query.forbund === 'string' && query.forbund !== id && /^[0-9a-f-]{36}$/i.test(query.forbund)) {
      const period = typeof query.period === 'string' ? `?period=${encodeURIComponent(query.period)}` : '';
      return redirect(res, `/styrelse/${query.forbund}${period}`);
    }
    const association = await this.registry.getAssociation(session.scope, id);
    const associations = await this.registry.listAssociations(session.scope);
    const data = await this.dashboard.build(session.scope, association, associations, query.period);
    const surveys = await this.dashboard.surveys(session.scope, data);
    sendPage(req, res, BoardPage({ session, data, surveys }));
  }
}
