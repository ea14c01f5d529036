import type { INestApplicationContext } from '@nestjs/common';
import { computePeriodCounts, type DateRange } from '@app/domain';
import { suppress } from '@app/domain/disclosure-control';
import { isPossibleTruth, pinnedCells } from '@app/domain/disclosure-control-audit';
import { possibleTrueValues } from '@app/domain/disclosure-control-cell-key';
import { DisclosureFactsRepository, type ScopedKeyedFact } from '@app/reporting/disclosure-facts.repository';
import { withShares, type ReportCounts } from '@app/reporting/report-body';
import { countModel, WITHHELD } from '@app/reporting/report-masking';
import {
  boundsOf,
  buildLattice,
  flatCounts,
  legacyRange,
  type ReadReport,
} from './helpers/disclosure-lattice';
import { bearer, Fixtures } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

/**
 * The differencing attack of issue 7, through the real API after the real worker ran: seeded random data in
 * two associations, then everything a board member of both can read (each insats, each association, every
 * chosen set, the region, every quarter, half, year, year to date and "since start", with previous years)
 * goes into one system of linear relations for an attacker's solver.
 */
const K = 3;

/** mulberry32: a small seeded generator, so the data are the same on every run. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const PERIODS = [
  ...[2023, 2024].flatMap((y) => [
    `${y}`,
    `${y}-H1`,
    `${y}-H2`,
    `${y}-Q1`,
    `${y}-Q2`,
    `${y}-Q3`,
    `${y}-Q4`,
    `${y}-YTD-Q1`,
    `${y}-YTD-Q2`,
    `${y}-YTD-Q3`,
  ]),
  'since-start',
];

describe('disclosure control across every report a board member can read', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let board: string;
  let evaluator: string;
  let facts: ScopedKeyedFact[];
  const reports: ReadReport[] = [];
  let today = '';
  let f: Fixtures;
  const associations: { id: string; interventions: string[] }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
    const random = seeded(20261130);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    for (const size of [3, 2]) {
      const association = await f.association();
      const interventions: string[] = [];
      for (let i = 0; i < size; i++)
        interventions.push(
          (
            await f.intervention(association.id, {
              startsOn: '2023-01-01',
              municipalities: ['0136', '0138'],
            })
          ).id,
        );
      associations.push({ id: association.id, interventions });
    }
    const day = (from: string, days: number) =>
      new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    for (let n = 0; n < 45; n++) {
      const association = pick(associations);
      const interventionId = pick(association.interventions);
      const startedOn = day('2023-01-01', Math.floor(random() * 730));
      const res = await t
        .http()
        .post(`/api/v1/interventions/${interventionId}/enrolments`)
        .set(bearer(f.adminToken))
        .send({
          // every fifth code again: one person in two insatser, so persons and participations differ
          participantCode: `DIFF-${n % 5 === 4 ? n - 1 : n}`,
          startedOn,
          referringParty: pick(['social_services', 'employment_service', 'school']),
          gender: pick(['woman', 'man', 'woman', 'man', 'unspecified']),
          ageBand: pick(['16-18', '19-20', '21-24']),
          municipality: pick(['0136', '0138']),
          educationLevel: pick(['compulsory', 'upper_secondary']),
          incomeSupportAtStart: random() < 0.5 ? ['social_assistance'] : ['none'],
        });
      if (res.status !== 201) continue; // the same code twice in one insats at once is refused; fine
      if (random() < 0.6) {
        const exitedOn = day(startedOn, Math.floor(random() * 400));
        await t
          .http()
          .post(`/api/v1/enrolments/${res.body.id}/exit`)
          .set(bearer(f.adminToken))
          .send({
            exitedOn,
            exitReason: pick(['work', 'studies', 'sickness', 'municipal_programme']),
            incomeSupportAtExit: random() < 0.4 ? ['social_assistance'] : ['salary'],
          })
          .expect(200);
      }
    }
    const all = associations.map((a) => a.id);
    board = (await f.user('board', { associationIds: all })).token;
    evaluator = (await f.user('evaluator', { associationIds: all })).token;
    for (const a of associations)
      await eventually(
        () => t.http().get(`/api/v1/reports/associations/${a.id}?period=2024`).set(bearer(evaluator)),
        (res) => res.status === 200 && res.body.fresh === true,
        60_000,
      );

    // Every report, as the board reads it and (for the solver's answer key) as an evaluator does.
    const urls: {
      path: string;
      kind: ReadReport['kind'];
      interventionIds: string[];
      associationIds: string[];
    }[] = [];
    for (const a of associations) {
      for (const i of a.interventions)
        urls.push({
          path: `interventions/${i}`,
          kind: 'insatser',
          interventionIds: [i],
          associationIds: [a.id],
        });
      urls.push({
        path: `associations/${a.id}`,
        kind: 'insatser',
        interventionIds: a.interventions,
        associationIds: [a.id],
      });
      for (let mask = 1; mask < 1 << a.interventions.length; mask++) {
        const chosen = a.interventions.filter((_, i) => mask & (1 << i));
        urls.push({
          path: `associations/${a.id}?interventions=${chosen.join(',')}`,
          kind: 'insatser',
          interventionIds: chosen,
          associationIds: [a.id],
        });
      }
    }
    for (const chosen of [all, [all[0]]])
      urls.push({
        path: `regional?associations=${chosen.join(',')}`,
        kind: 'region',
        interventionIds: associations.filter((a) => chosen.includes(a.id)).flatMap((a) => a.interventions),
        associationIds: chosen,
      });
    const read = async (token: string, url: string) => {
      const res = await t.http().get(`/api/v1/reports/${url}`).set(bearer(token));
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const jobs = urls.flatMap((u) => PERIODS.map((period) => ({ ...u, period })));
    for (let i = 0; i < jobs.length; i += 6) {
      await Promise.all(
        jobs.slice(i, i + 6).map(async (job) => {
          const url = `${job.path}${job.path.includes('?') ? '&' : '?'}period=${job.period}`;
          const [published, exact] = await Promise.all([read(board, url), read(evaluator, url)]);
          const scope = {
            kind: job.kind,
            interventionIds: job.interventionIds,
            associationIds: job.associationIds,
          };
          reports.push({ ...scope, period: published.period, exact, published });
          if (published.previousYear)
            reports.push({
              ...scope,
              period: published.previousYear.period,
              exact: exact.previousYear,
              published: published.previousYear,
            });
          // the region's side-by-side associations, as published inside it
          (published.associations ?? []).forEach((part: Record<string, unknown>, n: number) => {
            const id = job.associationIds[n];
            const ids = associations.find((a) => a.id === id)!.interventions;
            reports.push({
              kind: 'insatser',
              interventionIds: ids,
              associationIds: [id],
              period: published.period,
              exact: exact.associations[n],
              published: part,
            });
          });
          if (job.period === 'since-start') today = published.period.end;
        }),
      );
    }
    facts = await new DisclosureFactsRepository().keyedFacts(
      t.db.manager,
      associations.flatMap((a) => a.interventions),
    );
  }, 600_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const smallOf = (exact: Record<string, number>) =>
    Object.keys(exact).filter((v) => exact[v] >= 1 && exact[v] < K);

  it('never shows a count between 1 and k−1, and shows the same records the same way in every report', () => {
    expect(reports.length).toBeGreaterThan(600);
    for (const r of reports)
      for (const [cell, value] of Object.entries(flatCounts(r.published)))
        if (typeof value === 'number' && value > 0) expect([cell, value >= K]).toEqual([cell, true]);
    const lattice = buildLattice(reports, today);
    expect(lattice.inconsistent).toEqual([]);
    // every relation the solver uses holds for the true figures, and each published figure allows its truth
    const bounds = boundsOf(lattice, (p) => possibleTrueValues(p as number | string, K));
    expect(isPossibleTruth(lattice.exact, bounds, lattice.constraints)).toEqual({ possible: true });
    // the data are rich enough to test something: many small counts, many relations between reports
    expect(smallOf(lattice.exact).length).toBeGreaterThan(500);
    expect(lattice.constraints.length).toBeGreaterThan(20_000);
  });

  it('lets no solver pin a small count from all the reports together', () => {
    const lattice = buildLattice(reports, today);
    const bounds = boundsOf(lattice, (p) => possibleTrueValues(p as number | string, K));
    const pinned = new Set(pinnedCells(bounds, lattice.constraints));
    expect(smallOf(lattice.exact).filter((v) => pinned.has(v))).toEqual([]);
  });

  it('has, for every small count, a second possible truth: one more participant just like one counted', () => {
    const lattice = buildLattice(reports, today);
    const bounds = boundsOf(lattice, (p) => possibleTrueValues(p as number | string, K));
    const constraintsOf = new Map<string, { total: string; parts: string[] }[]>();
    for (const c of lattice.constraints)
      for (const v of [c.total, ...c.parts]) constraintsOf.set(v, [...(constraintsOf.get(v) ?? []), c]);
    const cache = new Map<string, Record<string, unknown>>();
    const one = (i: number, period: DateRange) => {
      const key = `${i}|${period.start}|${period.end}`;
      if (!cache.has(key)) cache.set(key, flatCounts(withShares(computePeriodCounts([facts[i]], period))));
      return cache.get(key)!;
    };
    const byPrefix = new Map(reports.map((r) => [lattice.prefixOf(r), r]));
    const possible = facts.map((f, i) => {
      const witness = new Map<string, number>();
      for (const r of reports) {
        if (!r.interventionIds.includes(f.interventionId)) continue;
        const p = lattice.prefixOf(r);
        for (const [name, n] of Object.entries(one(i, r.period)))
          if (typeof n === 'number' && n > 0) witness.set(p + name, lattice.exact[p + name] + n);
      }
      const value = (x: string) => witness.get(x) ?? lattice.exact[x];
      for (const [x, n] of witness) {
        if (n < bounds[x].min || (bounds[x].max !== null && n > bounds[x].max!)) return false;
        for (const c of constraintsOf.get(x) ?? [])
          if (c.parts.reduce((acc, part) => acc + value(part), 0) !== value(c.total)) return false;
      }
      return true;
    });
    const undeniable = smallOf(lattice.exact).filter((v) => {
      const prefix = v.slice(0, v.lastIndexOf('|') + 1);
      const report = byPrefix.get(prefix)!;
      const cell = v.slice(prefix.length);
      return !facts.some(
        (f, i) =>
          possible[i] &&
          report.interventionIds.includes(f.interventionId) &&
          one(i, report.period)[cell] === 1,
      );
    });
    expect(undeniable).toEqual([]);
  });

  it('breaks per-report suppression (the masking before the cell-key method) on the same reports', () => {
    // What the board received before: each report suppressed on its own, consistently within it.
    const legacy = reports.map((r) => {
      const { values, constraints } = countModel(r.exact as ReportCounts);
      const masked = suppress(values, constraints, K);
      const published = Object.fromEntries(
        Object.entries(values).map(([name, v]) => [name, !masked.has(name) ? v : v < K ? `<${K}` : WITHHELD]),
      );
      return { ...r, published, flat: true };
    });
    const lattice = buildLattice(legacy, today);
    const pinned = new Set(pinnedCells(boundsOf(lattice, legacyRange(K)), lattice.constraints));
    const recovered = smallOf(lattice.exact).filter((v) => pinned.has(v));
    expect(recovered.length).toBeGreaterThan(0);
  });

  it('serves a masked body from its cache until the stored results change, then recomputes it', async () => {
    const url = `/api/v1/reports/associations/${associations[1].id}?period=2024`;
    const read = async () => (await t.http().get(url).set(bearer(board)).expect(200)).body;
    const first = await read();
    const exactBefore = flatCounts((await t.http().get(url).set(bearer(evaluator)).expect(200)).body);
    // New record keys without a recompute: the cached body (same stored version) is served unchanged. A
    // recompute with the new keys would change many perturbed counts.
    await t.db.query(
      `UPDATE enrolment SET disclosure_key = (disclosure_key + 98765432101) % 281474976710656
        WHERE intervention_id = ANY($1::uuid[])`,
      [associations[1].interventions],
    );
    expect(await read()).toEqual(first);
    // A new enrolment makes the worker store new results: a new version, so the body is recomputed.
    await t
      .http()
      .post(`/api/v1/interventions/${associations[1].interventions[0]}/enrolments`)
      .set(bearer(f.adminToken))
      .send({
        participantCode: 'DIFF-NEW',
        startedOn: '2024-06-01',
        referringParty: 'school',
        gender: 'woman',
        ageBand: '16-18',
        municipality: '0136',
        educationLevel: 'compulsory',
        incomeSupportAtStart: ['none'],
      })
      .expect(201);
    const after = await eventually(read, (body) => body.fresh === true && body.asOf !== first.asOf, 60_000);
    const exact = (await t.http().get(url).set(bearer(evaluator)).expect(200)).body;
    // Cells the new enrolment does not touch changed too: the recompute used the new record keys.
    const exactAfter = flatCounts(exact);
    const untouched = Object.keys(exactAfter).filter((cell) => exactAfter[cell] === exactBefore[cell]);
    const redrawn = untouched.filter((cell) => flatCounts(after)[cell] !== flatCounts(first)[cell]);
    expect(redrawn.length).toBeGreaterThan(0);
    for (const [cell, value] of Object.entries(flatCounts(after))) {
      const x = flatCounts(exact)[cell] as number;
      const range = possibleTrueValues(value as number | string, K);
      expect([cell, range.min <= x && x <= (range.max ?? Infinity)]).toEqual([cell, true]);
    }
  });
});
