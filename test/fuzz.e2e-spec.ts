import fc from 'fast-check';
import { expectRefused } from './helpers/envelope';
import { bearer, Fixtures } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';

/**
 * Issue 8: a fuzz test generated from the OpenAPI document. For every operation, fast-check sends bodies and
 * query strings with wrong types, nulls, huge and deeply nested values, control characters, lone surrogates,
 * identifiers, odd content types and encodings. No answer may be a 5xx; every 4xx has the envelope and a
 * correlation id; and a refused request changes no table (row counts and a checksum of every table).
 *
 * FUZZ_RUNS sets the cases per operation (CI: a bounded default; `npm run fuzz` runs many more).
 */
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 25);

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
}
interface Operation {
  parameters?: { name: string; in: 'path' | 'query'; schema?: Schema; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Percent-encoded; a lone surrogate becomes its raw (invalid) UTF-8 bytes, which the server must refuse. */
const encodePathSegment = (value: string): string => {
  try {
    return encodeURIComponent(value) || '%20';
  } catch {
    return '%ED%A0%80';
  }
};

const deep = (depth: number, leaf: unknown): unknown =>
  Array.from({ length: depth }).reduce<unknown>((inner) => ({ a: inner }), leaf);

/** Strings no field should ever store, and strings that only look odd. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    '\u001b[31m',
    'line\nbreak',
    '\u202eevil',
    '\uFEFF',
    'x'.repeat(5000),
    '850412-1230',
    '85 04 12-1230',
    '\u0668\u0665\u0660\u0664\u0661\u0662-\u0661\u0662\u0663\u0660',
    'Anna Andersson',
    '070-123 45 67',
    'anna@example.se',
    '=HYPERLINK("http://x")',
    '2025.0',
    '0013-01-01',
    '1989-12-31',
    '2024-02-30',
    '9999-12-31',
    'NaN',
    '-1',
    '1e309',
    'true',
    'null',
    '00000000-0000-0000-0000-000000000000',
    "'; DROP TABLE enrolment; --",
    '%00',
    '../../etc/passwd',
  ),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.constantFrom(-1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2, 2025.5, -0),
    hostileString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
    fc.constant(deep(40, 1)),
    fc.constant(Array.from({ length: 3000 }, (_, i) => i)),
  ),
})).value;

describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApi;
  let token: string;
  let ids: Record<string, string>;
  let tables: string[];

  const savedPrefix = process.env.REDIS_PREFIX;
  beforeAll(async () => {
    // Jobs the fuzzing queues (a rebuild, exports) stay in a key prefix of its own, away from other tests'
    // workers; global teardown removes it with the run's prefix.
    process.env.REDIS_PREFIX = `${savedPrefix}-fuzz`;
    t = await createTestApp();
    const f = await Fixtures.create(t);
    token = f.adminToken;
    const associationId = (await f.association()).id;
    const interventionId = (await f.intervention(associationId)).id;
    const enrolmentId = (await f.enrol(token, interventionId, { startedOn: '2024-03-01' })).id;
    const sacrificial = await f.user('evaluator', { associationIds: [associationId] });
    ids = {
      associations: associationId,
      interventions: interventionId,
      enrolments: enrolmentId,
      users: sacrificial.id,
      exports: '00000000-0000-4000-8000-000000000000',
    };
    doc = (await t.http().get('/api/docs-json').expect(200)).body;
    tables = (
      await t.db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
    ).map((r: { tablename: string }) => r.tablename);
  });
  afterAll(async () => {
    await t.close();
    process.env.REDIS_PREFIX = savedPrefix;
  });

  /**
   * Row count and newest row version of every table, in one query: any insert or update writes a row
   * version with a newer transaction id (xmin), any delete lowers the count. Cheaper than checksumming every
   * row's text, which grew with the rows the other test files of the run leave in the shared database.
   */
  const snapshot = async (): Promise<string> => {
    const sql = tables
      .map(
        (name) =>
          `SELECT '${name}' AS t, count(*)::text AS n, coalesce(max(x.xmin::text::bigint), 0)::text AS s FROM "${name}" x`,
      )
      .join(' UNION ALL ');
    // UNION ALL may run its parts in parallel: the order of the rows is fixed here, not by the plan.
    return JSON.stringify(await t.db.query(`SELECT * FROM (${sql}) snapshot ORDER BY t`));
  };

  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length) return resolve(schema.allOf[0]);
    return schema;
  };

  /** A value the schema would accept, where it says enough (enums, examples, types). */
  const plausible = (raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> => {
    const schema = resolve(raw);
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    if (schema.example !== undefined) return fc.constant(schema.example);
    if (schema.type === 'object' || schema.properties) {
      if (depth > 3) return fc.constant({});
      const entries = Object.entries(schema.properties ?? {}).map(
        ([key, s]) => [key, fc.option(fieldValue(s, depth + 1), { nil: undefined })] as const,
      );
      return fc
        .record(Object.fromEntries(entries))
        .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    if (schema.type === 'array') return fc.array(plausible(schema.items, depth + 1), { maxLength: 3 });
    if (schema.type === 'integer') return fc.integer({ min: -5, max: 3000 });
    if (schema.type === 'number') return fc.double({ min: -2, max: 2, noNaN: true });
    if (schema.type === 'boolean') return fc.boolean();
    return fc.oneof(fc.uuid(), fc.constantFrom('2024-02-01', '0136', 'UNG-2024-017'), hostileString);
  };

  /** Mostly plausible, sometimes hostile: so requests get past the first check and reach deeper ones. */
  const fieldValue = (schema: Schema, depth: number): fc.Arbitrary<unknown> =>
    fc.oneof({ weight: 3, arbitrary: plausible(schema, depth) }, { weight: 2, arbitrary: hostileValue });

  /** Values the API accepts for well-known fields, so a body can be valid but for one mutated field. */
  const knownField = (key: string): fc.Arbitrary<unknown> | undefined =>
    ({
      associationId: fc.constant(ids.associations),
      associationIds: fc.constant([ids.associations]),
      interventionIds: fc.constant([ids.interventions]),
      id: fc.constantFrom(ids.associations, ids.interventions),
      participantCode: fc.integer({ min: 1, max: 1e9 }).map((n) => `FZ-${n}`),
      email: fc.integer({ min: 1, max: 1e9 }).map((n) => `fz${n}@test.uppfoljning.se`),
      password: fc.constant('Fuzz-password-1234'),
      startedOn: fc.constantFrom('2024-02-01', '2024-06-30'),
      startsOn: fc.constant('2021-01-01'),
      exitedOn: fc.constant('2024-09-30'),
      municipality: fc.constant('0136'),
      municipalities: fc.constant(['0136']),
      period: fc.constantFrom('2024', '2024-Q1', 'since-start'),
      age: fc.integer({ min: 16, max: 64 }),
      name: fc.integer({ min: 1, max: 1e9 }).map((n) => `Fuzz ${n}`),
    })[key];

  /** A body the schema accepts: required fields always, optional ones sometimes. */
  const valid = (raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> => {
    const schema = resolve(raw);
    if (!(schema.type === 'object' || schema.properties) || depth > 3) return plausible(schema, depth);
    const required = new Set(schema.required ?? []);
    const entries = Object.entries(schema.properties ?? {}).map(([key, s]) => {
      const value = knownField(key) ?? valid(s, depth + 1);
      return [key, required.has(key) ? value : fc.option(value, { nil: undefined })] as const;
    });
    return fc
      .record(Object.fromEntries(entries))
      .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
  };

  /** A valid body with exactly one field (known or not) replaced by a hostile value. */
  const oneFieldMutated = (schema: Schema | undefined): fc.Arbitrary<unknown> =>
    valid(schema).chain((value) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return fc.constant(value);
      const keys = [...Object.keys(resolve(schema).properties ?? {}), 'unknownField'];
      return fc
        .tuple(fc.constantFrom(...keys), hostileValue)
        .map(([key, hostile]) => ({ ...(value as object), [key]: hostile }));
    });

  const bodyFor = (operation: Operation): fc.Arbitrary<unknown> => {
    const schema = operation.requestBody?.content['application/json']?.schema;
    if (schema) {
      return fc.oneof(
        { weight: 3, arbitrary: oneFieldMutated(schema) },
        { weight: 1, arbitrary: valid(schema) },
        { weight: 3, arbitrary: looseBody(schema) },
        { weight: 2, arbitrary: hostileValue },
      );
    }
    return fc.oneof(looseBody(schema), hostileValue);
  };

  const looseBody = (schema: Schema | undefined): fc.Arbitrary<unknown> => {
    const objectLike = plausible(schema).chain((value) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? fc
            .dictionary(hostileString, hostileValue, { maxKeys: 2 })
            .chain((extra) => fc.constantFrom(value, { ...value, ...extra }))
        : fc.constant(value),
    );
    return objectLike;
  };

  const queryFor = (operation: Operation): fc.Arbitrary<Record<string, unknown>> => {
    const known = (operation.parameters ?? []).filter((p) => p.in === 'query');
    const entries = known.map(
      (p) =>
        [
          p.name,
          fc.option(
            fc.oneof(
              {
                weight: 3,
                arbitrary: plausible(p.schema).map((v) => (typeof v === 'string' ? v : String(v))),
              },
              { weight: 2, arbitrary: hostileString },
              { weight: 1, arbitrary: fc.array(hostileString, { minLength: 2, maxLength: 3 }) },
            ),
            { nil: undefined },
          ),
        ] as const,
    );
    return fc
      .tuple(
        fc.record(Object.fromEntries(entries)),
        fc.option(fc.dictionary(hostileString, hostileString, { maxKeys: 2 }), { nil: undefined, freq: 3 }),
      )
      .map(([own, extra]) =>
        Object.fromEntries(Object.entries({ ...own, ...extra }).filter(([, v]) => v !== undefined)),
      );
  };

  const pathFor = (template: string): fc.Arbitrary<string> =>
    fc
      .tuple(
        ...[...template.matchAll(/\{(\w+)\}/g)].map(() =>
          fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: hostileString }),
        ),
      )
      .map((choices) => {
        let i = 0;
        return template.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
          const hostile = choices[i++];
          if (hostile !== null) return encodePathSegment(hostile);
          if (name === 'year') return '2024';
          const collection = template.slice(0, offset).split('/').filter(Boolean).at(-1)!;
          return ids[collection] ?? ids.interventions;
        });
      });

  // Mostly honest JSON, so bodies reach the validators and the services; the rest odd types and encodings.
  const ENCODINGS: { contentType: string; raw: boolean; encoding?: string }[] = [
    ...Array.from({ length: 8 }, () => ({ contentType: 'application/json', raw: false })),
    { contentType: 'application/json; charset=latin1', raw: true },
    { contentType: 'application/json; charset=utf-16', raw: true },
    { contentType: 'text/plain', raw: true },
    { contentType: 'application/x-www-form-urlencoded', raw: true },
    { contentType: 'application/xml', raw: true },
    { contentType: 'application/json', raw: true, encoding: 'gzip' },
    { contentType: 'application/json', raw: true, encoding: 'br' },
  ];

  it(
    'answers no 5xx, refuses in the envelope with a correlation id, and a refusal changes nothing',
    async () => {
      const operations = Object.entries(doc.paths).flatMap(([template, ops]) =>
        Object.entries(ops)
          .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
          .map(([method, operation]) => ({ template, method, operation })),
      );
      expect(operations.length).toBeGreaterThan(20);
      const summary: Record<string, number> = {};
      for (const { template, method, operation } of operations) {
        const hasBody = ['post', 'put', 'patch'].includes(method);
        await fc.assert(
          fc.asyncProperty(
            pathFor(template),
            queryFor(operation),
            hasBody ? bodyFor(operation) : fc.constant(undefined),
            fc.constantFrom(...ENCODINGS),
            fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
            async (path, query, body, encoding, authenticated) => {
              const before = await snapshot();
              const agent = t.http();
              let req = agent[method as 'get'](path).query(query as Record<string, string>);
              if (authenticated) req = req.set(bearer(token));
              if (hasBody) {
                req = req.set('content-type', encoding.contentType);
                if (encoding.encoding) req = req.set('content-encoding', encoding.encoding);
                req = req.send(
                  encoding.raw ? Buffer.from(JSON.stringify(body) ?? 'null') : JSON.stringify(body),
                );
              }
              const res = await req;
              summary[res.status] = (summary[res.status] ?? 0) + 1;
              if (res.status >= 500) {
                throw new Error(
                  `${method.toUpperCase()} ${path} → ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`,
                );
              }
              if (res.status >= 400) {
                expectRefused(res, res.status);
                expect(await snapshot()).toBe(before);
              }
            },
          ),
          { numRuns: RUNS_PER_OPERATION, endOnFailure: true },
        );
      }
      // Shown in the test output: how the answers were spread.
      process.stdout.write(
        `fuzz: ${operations.length} operations × ${RUNS_PER_OPERATION} cases: ${JSON.stringify(summary)}\n`,
      );
    },
    60_000 + RUNS_PER_OPERATION * 40 * 300,
  );
});
