import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage } from 'node:http';
import { correlationIdOf } from './correlation-id';
import { jsonNestingExceeds, MAX_NESTING_DEPTH } from './request-guard';

export const BODY_LIMIT = 100 * 1024;
export const BODY_LIMIT_TEXT = '100 kB';
export const MAX_URLENCODED_PARAMETERS = 1000;

class TooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
  constructor() {
    super(`nested deeper than ${MAX_NESTING_DEPTH} levels`);
  }
}

/**
 * The body parsers, set before Nest would add its defaults (it skips a parser that is already there): a size
 * limit, no compressed bodies, at most 1,000 form parameters, and JSON nesting checked on the raw bytes before
 * parsing. Their errors reach the one exception filter, which answers 400/413/415 in the envelope.
 */
export function configureBodyParsers(app: INestApplication): void {
  const express = app as NestExpressApplication;
  // First of all: a correlation id, so even a request refused while its body is read has one.
  express.use((req: IncomingMessage, res: Parameters<typeof correlationIdOf>[1], next: () => void) => {
    correlationIdOf(req, res);
    next();
  });
  express.useBodyParser('json', {
    limit: BODY_LIMIT,
    inflate: false,
    verify: (_req: IncomingMessage, _res: unknown, raw: Buffer) => {
      if (jsonNestingExceeds(raw)) throw new TooDeepError();
    },
  });
  express.useBodyParser('urlencoded', {
    limit: BODY_LIMIT,
    inflate: false,
    extended: true,
    parameterLimit: MAX_URLENCODED_PARAMETERS,
    depth: 5,
  });
}
