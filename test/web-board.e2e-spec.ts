import type { INestApplicationContext } from '@nestjs/common';
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

    for (let n = 0; n < 3; n++)
      await f.enrol(coordinator.token, insats.id, { gender: 'man', startedOn: `${YEAR}-01-20` });
    await settled();
    const after = await t.http().get(path).set('Cookie', cookie);
    const afterRow = rowOf(after.text, 'board-gender', 'Teamet');
    expect(afterRow).toEqual(await apiActive());
    // Four men now: a published count, never 1 or 2.
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
});
