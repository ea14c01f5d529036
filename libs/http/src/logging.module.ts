import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@config/config.module';
import { correlationIdOf } from './correlation-id';

/** The anonymous survey form's path holds its one-time token (a capability): it is never logged. */
export function loggedUrl(url: string): string {
  return url.startsWith('/enkat/') ? '/enkat/[token]' : url;
}

/** Structured logs; request bodies and auth headers are never logged (they may hold personal data). */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.env.LOG_LEVEL,
          genReqId: correlationIdOf,
          redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: loggedUrl(req.url),
            }),
            // Status only: response headers made each line about 1.9 kB and told nothing worth keeping.
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          autoLogging: { ignore: (req: { url?: string }) => req.url === '/health' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
