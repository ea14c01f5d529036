import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { AuthModule } from '@app/auth/auth.module';
import { RegistryModule } from '@app/registry/registry.module';
import { ReportingModule } from '@app/reporting/reporting.module';
import { SurveyReadModule } from '@app/surveys/survey-read.module';
import { SurveysModule } from '@app/surveys/surveys.module';
import { ImportsModule } from '@app/imports/imports.module';
import { DataQualityModule } from '@app/data-quality/data-quality.module';
import { DataQualityPageController, NationalCountPageController } from './data-quality-page.controller';
import { ImportsPageController } from './imports-page.controller';
import { SurveyRoundsPageController } from './survey-rounds-page.controller';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig } from '@config/config.module';
import { AdminController } from './admin.controller';
import { AuditLogRepository } from './audit-log.repository';
import { BoardController } from './board.controller';
import { BoardDashboardService } from './board-dashboard.service';
import { CoordinatorController } from './coordinator.controller';
import { DashboardFingerprintRepository } from './dashboard-fingerprint.repository';
import { queueDashboard, QUEUE_DASHBOARD_PATH } from './queue-dashboard';
import { ReportsPageController } from './reports-page.controller';
import { SignInController } from './sign-in.controller';
import { StartPages } from './start-pages.service';
import { WebSessionGuard } from './web-session.guard';
import { WebSessionRepository } from './web-session.repository';
import { WebSessionService } from './web-session.service';

/** The Swedish web pages of every role, served by the API app (see README "Web pages"). */
@Module({
  imports: [
    AuthModule,
    RegistryModule,
    ReportingModule,
    SurveyReadModule,
    SurveysModule,
    ImportsModule,
    DataQualityModule,
    // The file forms (imports, survey answers): memory storage, the import size limit.
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        limits: { fileSize: config.env.IMPORT_MAX_FILE_MB * 1024 * 1024, files: 1, fields: 20, parts: 22 },
      }),
    }),
  ],
  controllers: [
    SignInController,
    CoordinatorController,
    ReportsPageController,
    BoardController,
    AdminController,
    ImportsPageController,
    DataQualityPageController,
    NationalCountPageController,
    SurveyRoundsPageController,
  ],
  providers: [
    WebSessionRepository,
    WebSessionService,
    WebSessionGuard,
    StartPages,
    BoardDashboardService,
    AuditLogRepository,
    DashboardFingerprintRepository,
  ],
})
export class WebModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly sessions: WebSessionService,
  ) {}

  onModuleInit(): void {
    const http = this.adapterHost.httpAdapter;
    if (!http) return; // an application context without HTTP (the worker)
    http.getInstance().use(QUEUE_DASHBOARD_PATH, ...queueDashboard(this.moduleRef, this.sessions));
  }
}
