import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@app/domain';
import { POLICY, PERMISSIONS } from '@app/access/policy';
import { RouteAccessCheck, type RouteAccess } from '@app/access/route-access';
import { bearer, Fixtures } from './helpers/fixtures';
import { useOwnDatabase } from './helpers/own-database';
import { createTestApp, type TestApp } from './helpers/test-app';

/**
 * Walks the permission table: every route the app serves (read from Nest's own metadata) is called by
 * every role with a minimal request, and answers 403 exactly when POLICY says the role may not call it.
 * Ids are fresh UUIDs, so an allowed call ends in 404 or 400 (never touching real data), a refused one
 * in 403 before anything else happens. A database and Redis prefix of its own: the walk really queues a
 * full rebuild (as admin), which must not reach other files' workers.
 */
describe('permission table', () => {
  let t: TestApp;
  let routes: RouteAccess[];
  const tokens = {} as Record<Role, string>;
  let own: Awaited<ReturnType<typeof useOwnDatabase>>;
  const previousPrefix = process.env.REDIS_PREFIX;

  beforeAll(async () => {
    own = await useOwnDatabase();
    process.env.REDIS_PREFIX = `${previousPrefix}-permissions`;
    t = await createTestApp();
    const f = await Fixtures.create(t);
    const associationId = (await f.association()).id;
    const interventionId = (await f.intervention(associationId)).id;
    tokens.admin = f.adminToken;
    tokens.coordinator = (await f.user('coordinator', { interventionIds: [interventionId] })).token;
    tokens.evaluator = (await f.user('evaluator', { associationIds: [associationId] })).token;
    tokens.board = (await f.user('board', { associationIds: [associationId] })).token;
    routes = t.app.get(RouteAccessCheck).routes();
  });
  afterAll(async () => {
    await t.close();
    process.env.REDIS_PREFIX = previousPrefix;
    await own.drop();
  });

  const call = (route: RouteAccess, token?: string) => {
    const url = route.path.replace(/:year\b/g, '2024').replace(/:[A-Za-z]+/g, () => randomUUID());
    const known = ['get', 'post', 'put', 'patch', 'delete'] as const;
    const lower = route.method.toLowerCase() as (typeof known)[number];
    const method = known.includes(lower) ? lower : 'get'; // ALL, HEAD, OPTIONS: a GET reaches them too
    const request = t.http()[method](url);
    if (token) request.set(bearer(token));
    return ['post', 'put', 'patch'].includes(method) ? request.send({}) : request;
  };

  it('finds every route of the app, each with a declared access rule', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login',
        'GET /api/v1/reports/exports/:id/file',
        'POST /api/v1/interventions/:id/enrolments',
        'GET /api/v1/aggregation/status',
        'GET /health',
      ]),
    );
    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(routes.filter((r) => r.access === null)).toEqual([]);
  });

  it('misses no route of the OpenAPI document', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const discovered = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(documented.length).toBeGreaterThanOrEqual(30);
    expect(documented.filter((route) => !discovered.has(route))).toEqual([]);
    // Each operation shows its permission and roles to readers of the documentation.
    const users = doc.paths['/api/v1/users'] as Record<string, Record<string, unknown>>;
    expect(users.post['x-permission']).toEqual({ name: 'manageUsers', roles: ['admin'] });
    const enrol = doc.paths['/api/v1/interventions/{id}/enrolments'] as Record<
      string,
      Record<string, unknown>
    >;
    expect(enrol.post['x-permission']).toEqual({
      name: 'registerEnrolments',
      roles: ['admin', 'coordinator'],
    });
  });

  it('uses every permission of the table on a route or in a role-dependent answer', () => {
    const onRoutes = new Set(routes.flatMap((r) => [r.access, r.permission]));
    const inServices = ['readExactReports', 'readMaskedReports']; // report-audience.ts
    expect(PERMISSIONS.filter((p) => !onRoutes.has(p) && !inServices.includes(p))).toEqual([]);
  });

  it('answers every route × role as the table says (403 exactly for the roles it leaves out)', async () => {
    const mismatches: string[] = [];
    // Web pages (outside /api and /health) answer to a session, not a token: test/web-*.e2e-spec.ts
    // checks their permissions (a board member gets 403 on every participant page).
    for (const route of routes.filter((r) => r.path.startsWith('/api/') || r.path === '/health')) {
      const allowed: readonly Role[] = route.access === 'public' ? ROLES : POLICY[route.access!];
      if (route.access !== 'public') {
        const anonymous = await call(route);
        if (anonymous.status !== 401)
          mismatches.push(`${route.method} ${route.path} anonymous → ${anonymous.status}`);
      }
      for (const role of ROLES) {
        const res = await call(route, tokens[role]);
        const ok = allowed.includes(role)
          ? res.status !== 401 && res.status !== 403 && res.status < 500
          : res.status === 403;
        if (!ok)
          mismatches.push(`${route.method} ${route.path} as ${role} (${route.access}) → ${res.status}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
