import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { configureBodyParsers } from '@app/http/body-parsers';
import { KnownQueryInterceptor } from '@app/http/known-query.interceptor';
import { createValidationPipe } from '@app/http/validation.pipe';

/** Everything the HTTP app needs besides its modules; shared by main.ts and the end-to-end tests. */
export function configureHttpApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  // Before anything reads a body: limits, and a correlation id for requests refused while reading it.
  configureBodyParsers(app);
  app.use(helmet());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new KnownQueryInterceptor());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Uppföljning API')
      .setDescription('Participant follow-up for samordningsförbund (Finsam). Public contract v1.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
