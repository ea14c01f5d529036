import {
  MAX_PREPARED_PER_CONNECTION,
  PreparingClient,
  statementName,
} from '../libs/database/src/preparing-client';

/**
 * The pool's client sends statements with parameters as named prepared statements (parsed once per
 * connection), keeps at most MAX_PREPARED_PER_CONNECTION of them, and sends everything else as before.
 */
describe('PreparingClient (real PostgreSQL)', () => {
  let client: PreparingClient;

  beforeEach(async () => {
    client = new PreparingClient({ connectionString: process.env.DATABASE_URL });
    await client.connect();
  });
  afterEach(() => client.end());

  const prepared = async (): Promise<{ name: string; statement: string }[]> =>
    (await client.query(`SELECT name, statement FROM pg_prepared_statements ORDER BY name`)).rows;

  it('prepares a statement with parameters once and reuses it, with the right answers each time', async () => {
    const sql = `SELECT $1::int + 1 AS n`;
    expect((await client.query(sql, [1])).rows).toEqual([{ n: 2 }]);
    expect((await client.query(sql, [41])).rows).toEqual([{ n: 42 }]);
    expect(await prepared()).toEqual([{ name: statementName(sql), statement: sql }]);
  });

  it('sends statements without parameters, several in one text, by the simple protocol, unprepared', async () => {
    const res = await client.query(`SELECT 1 AS a; SELECT 2 AS b`);
    expect((res as unknown as { rows: unknown[] }[]).map((r) => r.rows)).toEqual([[{ a: 1 }], [{ b: 2 }]]);
    await client.query(`SELECT 3`, []);
    expect(await prepared()).toEqual([]);
  });

  it('keeps a failed statement out, and reports its error as before', async () => {
    await expect(client.query(`SELECT $1::int / 0`, [1])).rejects.toThrow(/division by zero/);
    await expect(client.query(`SELEC $1::int`, [1])).rejects.toThrow(/syntax error/);
    // The one that parsed is prepared (it failed when run); the one that did not parse is not.
    expect((await prepared()).map((p) => p.statement)).toEqual([`SELECT $1::int / 0`]);
    expect((await client.query(`SELECT $1::int AS x`, [7])).rows).toEqual([{ x: 7 }]);
  });

  it(`prepares at most ${MAX_PREPARED_PER_CONNECTION} statements per connection, then sends others unnamed`, async () => {
    for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 20; i++) {
      expect((await client.query(`SELECT $1::int + ${i} AS n`, [1])).rows).toEqual([{ n: 1 + i }]);
    }
    expect(await prepared()).toHaveLength(MAX_PREPARED_PER_CONNECTION);
    // One already prepared is still used by name.
    expect((await client.query(`SELECT $1::int + 0 AS n`, [5])).rows).toEqual([{ n: 5 }]);
    expect(await prepared()).toHaveLength(MAX_PREPARED_PER_CONNECTION);
  });
});
