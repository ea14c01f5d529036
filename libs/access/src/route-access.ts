import { Injectable, Module, OnModuleInit, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_PUBLIC, PERMISSION } from './access.decorators';
import { POLICY, type Permission } from './policy';

export interface RouteAccess {
  method: string;
  /** As declared, with `:params`, e.g. `/api/v1/interventions/:id/enrolments`. */
  path: string;
  controller: string;
  handler: string;
  /** The permission it declares, 'public', or null when it declares neither (a defect). */
  access: Permission | 'public' | null;
  /**
   * The @Can permission even on a public route: web pages are public to the bearer-token guard and
   * checked against this permission by their session guard instead.
   */
  permission: Permission | null;
}

const joinPath = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/** Every HTTP route of the app with the access it declares, read from Nest's own metadata. */
export function listRouteAccess(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): RouteAccess[] {
  const routes: RouteAccess[] = [];
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
    if (!type || !wrapper.instance) continue;
    const prefixes = [reflector.get<string | string[]>(PATH_METADATA, type) ?? ''].flat();
    const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as () => unknown;
      const paths = reflector.get<string | string[] | undefined>(PATH_METADATA, handler);
      if (paths === undefined) continue; // not a route handler
      const method = RequestMethod[reflector.get<RequestMethod>(METHOD_METADATA, handler) ?? 0];
      const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, type]) === true;
      const permission = reflector.getAllAndOverride<Permission | undefined>(PERMISSION, [handler, type]);
      for (const prefix of prefixes)
        for (const path of [paths].flat())
          routes.push({
            method,
            path: joinPath(prefix, path),
            controller: type.name,
            handler: name,
            access: isPublic ? 'public' : (permission ?? null),
            permission: permission ?? null,
          });
    }
  }
  return routes;
}

/** The problems that make boot fail: a route without declared access, or naming an unknown permission. */
export function routeAccessProblems(routes: RouteAccess[]): string[] {
  return routes.flatMap((r) => {
    const where = `${r.method} ${r.path} (${r.controller}.${r.handler})`;
    if (r.access === null) return [`${where} declares neither @Can(permission) nor @Public()`];
    if (r.access !== 'public' && !(r.access in POLICY))
      return [`${where} names unknown permission ${r.access}`];
    return [];
  });
}

/** Fails boot when a route does not say who may call it, so no route is open (or closed) by accident. */
@Injectable()
export class RouteAccessCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const problems = routeAccessProblems(listRouteAccess(this.discovery, this.scanner, this.reflector));
    if (problems.length)
      throw new Error(`Routes without a declared access rule:\n- ${problems.join('\n- ')}`);
  }

  routes(): RouteAccess[] {
    return listRouteAccess(this.discovery, this.scanner, this.reflector);
  }
}

@Module({ imports: [DiscoveryModule], providers: [RouteAccessCheck], exports: [RouteAccessCheck] })
export class AccessModule {}
