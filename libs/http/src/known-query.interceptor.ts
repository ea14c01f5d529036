import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { FieldErrorsException } from './field-errors.exception';

interface RouteArg {
  index: number;
  data?: unknown;
}

/**
 * Typed edges for routes that take no query DTO: a query parameter the route does not declare is refused
 * (400 naming it) instead of silently ignored. Routes with `@Query() dto` are checked by the DTO itself
 * (whitelist, forbidNonWhitelisted). Only the JSON API: web pages may carry their own parameters.
 */
@Injectable()
export class KnownQueryInterceptor implements NestInterceptor {
  private readonly allowedByHandler = new WeakMap<object, Set<string> | 'dto'>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.path?.startsWith('/api/')) return next.handle();
    const allowed = this.allowedQuery(context);
    if (allowed !== 'dto') {
      const unknown = Object.keys(request.query ?? {}).filter((key) => !allowed.has(key));
      if (unknown.length) {
        throw new FieldErrorsException(
          400,
          `Unknown query parameter: ${unknown.join(', ')}`,
          unknown.map((field) => ({ field, message: 'is not an allowed query parameter' })),
        );
      }
    }
    return next.handle();
  }

  private allowedQuery(context: ExecutionContext): Set<string> | 'dto' {
    const handler = context.getHandler();
    const cached = this.allowedByHandler.get(handler);
    if (cached) return cached;
    const args: Record<string, RouteArg> =
      Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {};
    const names = new Set<string>();
    let dto = false;
    for (const [key, arg] of Object.entries(args)) {
      if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY) continue;
      if (typeof arg.data === 'string') names.add(arg.data);
      else dto = true;
    }
    const result = dto ? 'dto' : names;
    this.allowedByHandler.set(handler, result);
    return result;
  }
}
