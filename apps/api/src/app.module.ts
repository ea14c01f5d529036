import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuditModule } from '@app/audit/audit.module';
import { AuthModule } from '@app/auth/auth.module';
import { DatabaseModule } from '@app/database/database.module';
import { HealthModule } from '@app/health/health.module';
import { HttpExceptionFilter } from '@app/http/http-exception.filter';
import { LoggingModule } from '@app/http/logging.module';
import { QueueModule } from '@app/queue/queue.module';
import { ReportingModule } from '@app/reporting/reporting.module';
import { RegistryModule } from '@app/registry/registry.module';
import { SurveysModule } from '@app/surveys/surveys.module';
import { ConfigModule } from '@config/config.module';
import { ImportsModule } from '@app/imports/imports.module';
import { DataQualityModule } from '@app/data-quality/data-quality.module';
import { WebModule } from '@app/web/web.module';

@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule,
    QueueModule,
    AuditModule,
    AuthModule,
    RegistryModule,
    ReportingModule,
    HealthModule,
    SurveysModule,
    ImportsModule,
    DataQualityModule,
    WebModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
})
export class AppModule {}
