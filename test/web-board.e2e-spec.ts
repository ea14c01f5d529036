import type { INestApplicationContext } from '@nestjs/common';
import { MaskedReportService } from '@app/reporting/masked-report.service';
import { ReportService } from '@app/reporting/report.service';
import { bearer, Fixtures, PASSWORD } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { webLogin } from './helpers/web';
import { createTestWorker, eventually } from './helpers/worker';

const YEAR = new Date().getFullYear();

/** The shown values of one row of a dashboard table (by its row header). */
function rowOf(html: string, tableId: string, rowHeader: string): string[] {
  const table = html.slice(html.indexOf(`id="${tableId}"`));
  const row = new RegExp(`<th scope="row">${rowHeader}</th>(.*?)</tr>`).exec(
    table.slice(0, table.indexOf('</table>')),
  );
  if (!row) throw new Error(`no row ${rowHeader} in ${tableId}`);
  return [...row[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
}

describe('board dashboard', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let f: Fixtures;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const settled = () =>
    eventually(
      () => t.http().get('/api/v1/aggregation/status').set(bearer(f.adminToken)),
      (res) => res.body.pending === 0,
      30_000,
    );

  it('masks small counts, and never shows a stale dashboard after a write or a new goal', async () => {
    const association = await f.association();
    const insats = await f.intervention(association.id, { name: 'Teamet' });
    const coordinator = await f.user('coordinator', { interventionIds: [insats.id] });
    for (let n = 0; n < 3; n++)
      await f.enrol(coordinator.token, insats.id, { gender: 'woman', startedOn: `${YEAR}-01-15` });
    await f.enrol(coordinator.token, insats.id, { gender: 'man', startedOn: `${YEAR}-01-15` });
    await settled();
    const board = await f.user('board', { associationIds: [association.id] });
    const { cookie } = await webLogin(t, board.email, PASSWORD);
    const path = `/styrelse/${association.id}?period=${YEAR}`;

    // The dashboard shows exactly the board's disclosure-controlled figures of the API (cell-key method:
    // the one man is "<3", the three women are published as 3 plus the cell's fixed noise).
    const apiActive = async () => {
      const res = await t
        .http()
        .get(`/api/v1/reports/interventions/${insats.id}?period=${YEAR}`)
        .set(bearer(board.token))
        .expect(200);
      const shown = (v: number | string) => String(v).replace('<', '&lt;');
      return [shown(res.body.active.woman), shown(res.body.active.man)];
    };
    const first = await t.http().get(path).set('Cookie', cookie);
    expect(first.status).toBe(200);
    const firstRow = rowOf(first.text, 'board-gender', 'Teamet');
    expect(firstRow[1]).toBe('&lt;3');
    expect(firstRow).toEqual(await apiActive());
    expect(first.text).toContain('aldrig antal mellan 1 och 2');
    const again = await t.http().get(path).set('Cookie', cookie);
    expect(rowOf(again.text, 'board-gender', 'Teamet')).toEqual(firstRow);

    // Ten more men (eleven): published with noise, but far above k (four could be published as "<3": the
    // cell-key noise is −2 or less for about one cell in twenty).
    for (let n = 0; n < 10; n++)
      await f.enrol(coordinator.token, insats.id, { gender: 'man', startedOn: `${YEAR}-01-20` });
    await settled();
    const after = await t.http().get(path).set('Cookie', cookie);
    const afterRow = rowOf(after.text, 'board-gender', 'Teamet');
    expect(afterRow).toEqual(await apiActive());
    // Eleven men now: a published count, never 1 or 2.
    expect(afterRow[1]).not.toBe('&lt;3');
    expect(Number(afterRow[1])).toBeGreaterThanOrEqual(3);

    const goals = await t
      .http()
      .put(`/api/v1/interventions/${insats.id}/goals/${YEAR}`)
      .set(bearer(f.adminToken))
      .send({ participants: 40, newParticipants: 20 });
    expect(goals.status).toBe(200);
    const withGoals = await t.http().get(path).set('Cookie', cookie);
    // Goal 40 against the published total of active participants (7 plus the cell's fixed noise).
    const report = await t
      .http()
      .get(`/api/v1/reports/interventions/${insats.id}?period=${YEAR}`)
      .set(bearer(board.token))
      .expect(200);
    const actual = report.body.active.total as number;
    expect(rowOf(withGoals.text, 'board-goals', 'Teamet').slice(0, 2)).toEqual(['40', String(actual)]);
    expect(withGoals.text).toContain(
      `Teamet ligger under 75 % av sitt mål för deltagare hittills i år (${Math.round((actual / 40) * 100)} %).`,
    );
  });

  it('builds its bodies in batches that equal the reports read one at a time', async () => {
    // The dashboard reads the association's periods and every insats in one batch each; a board member
    // must get exactly the masked bodies the single reports give (same figures, same cell-key noise).
    const association = await f.association();
    const a = await f.intervention(association.id, { name: 'Alfa', startsOn: `${YEAR - 1}-01-01` });
    const b = await f.intervention(association.id, { name: 'Beta', startsOn: `${YEAR - 1}-01-01` });
    const coordinator = await f.user('coordinator', { interventionIds: [a.id, b.id] });
    for (const [insats, n, gender, startedOn] of [
      [a.id, 5, 'woman', `${YEAR - 1}-02-10`],
      [a.id, 2, 'man', `${YEAR - 1}-08-01`],
      [b.id, 1, 'unspecified', `${YEAR - 1}-11-20`],
      [b.id, 4, 'man', `${YEAR}-01-05`],
    ] as const)
      for (let i = 0; i < n; i++) await f.enrol(coordinator.token, insats, { gender, startedOn });
    await settled();
    const board = await f.user('board', { associationIds: [association.id] });
    const scope = {
      userId: board.id,
      role: 'board' as const,
      allAssociations: false,
      associationIds: [association.id],
      interventionIds: [],
    };
    const reports = t.app.get(ReportService);
    // Each side computed afresh, not one read back from the other's cache entries.
    const forget = () =>
      (t.app.get(MaskedReportService) as unknown as { cache: Map<string, unknown> }).cache.clear();
    const codes = [
      `${YEAR - 1}`,
      `${YEAR - 1}-Q1`,
      `${YEAR - 1}-Q3`,
      `${YEAR - 1}-H2`,
      `${YEAR}-Q1`,
      'since-start',
    ];
    const batched = await reports.associationReports(scope, association.id, codes, true);
    forget();
    const single = await Promise.all(
      codes.map((c) => reports.associationReport(scope, association.id, c, true)),
    );
    expect(batched).toEqual(single);
    expect(JSON.stringify(batched)).toContain('<3');

    forget();
    const parts = await reports.interventionReports(
      scope,
      association.id,
      { interventionIds: [a.id, b.id] },
      `${YEAR - 1}`,
      true,
    );
    forget();
    const one = await Promise.all(
      [a.id, b.id].map((id) => reports.interventionReport(scope, id, `${YEAR - 1}`, true)),
    );
    expect(parts).toEqual(one);
    expect(parts.map((p) => p.scope.name)).toEqual(['Alfa', 'Beta']);
  });
});
