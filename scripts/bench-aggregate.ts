// npm run bench:aggregate: national-scale data, full rebuild vs the SQL floor, write-to-fresh-report latency.
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { PERIOD_RESULTS_SQL } from '../libs/aggregation/src/period-results.sql';
import {
  scopeYears,
  sinceStartResult,
  yearResults,
  type ResultRow,
} from '../libs/aggregation/src/scope-results';
import { todayInStockholm } from '../libs/domain/src/calendar-date';
import type { KeyedFact } from '../libs/domain/src/disclosure-control-cell-key';
import { JobName, REBUILD_ALL_JOB_ID } from '../libs/queue/src/queues';
import { load, plan, TODAY, type Scale } from './bench-data';
import { machine, peakRssMiB, percentile, seconds, runBenchmark, waitFor } from './bench-lib';

const SCALE: Scale & { writes: number } = {
  enrolments: Number(process.env.BENCH_ENROLMENTS ?? 1_000_000),
  associations: Number(process.env.BENCH_ASSOCIATIONS ?? 80),
  interventionsPerAssociation: 10,
  years: 20,
  writes: Number(process.env.BENCH_WRITES ?? 100),
};
/**
 * The floor: every stored period result computed set-based in PostgreSQL from the raw rows, for all
 * associations at once, in the stored shape (quarterly sums with GROUPING SETS, active by running sums,
 * persons corrected for people with several enrolments, medians by percentile_cont); see
 * libs/aggregation/src/period-results.sql.ts. Nothing is written: it is the least any rebuild must do.
 */
async function sqlFloor(client: Client): Promise<number> {
  // As the rebuild runs it: compiling (JIT) this large statement costs more than running it.
  await client.query(`SET jit = off`);
  const started = Date.now();
  await client.query(`CREATE TEMP TABLE floor_result AS ${PERIOD_RESULTS_SQL}`, [null, todayInStockholm()]);
  return Date.now() - started;
}

/** How many floor results equal what the worker stored (counts and cell keys, as jsonb), of how many. */
async function compareWithStored(
  client: Client,
): Promise<{ matched: number; floor: number; stored: number }> {
  const [{ matched, floor, stored }] = (
    await client.query(
      `SELECT (SELECT count(*)::int FROM floor_result f JOIN period_result r USING (scope_type, scope_id, period_code)
                WHERE f.counts = r.counts AND f.keys = r.keys AND f.period_start = r.period_start AND f.period_end = r.period_end
                  AND f.year IS NOT DISTINCT FROM r.year) AS matched,
              (SELECT count(*)::int FROM floor_result) AS floor,
              (SELECT count(*)::int FROM period_result) AS stored`,
    )
  ).rows;
  return { matched, floor, stored };
}

/**
 * The floor and the rebuild share their SQL, so the stored results are also checked against the rules in
 * TypeScript (libs/domain computePeriodCounts, what the incremental recompute uses) for a few associations.
 */
async function crossCheck(
  client: Client,
  associationIds: string[],
): Promise<{ matched: number; of: number }> {
  const today = todayInStockholm();
  let matched = 0;
  let of = 0;
  for (const associationId of associationIds) {
    const interventions = (
      await client.query(
        `SELECT id, starts_on::text AS starts_on FROM intervention WHERE association_id = $1 ORDER BY id`,
        [associationId],
      )
    ).rows as { id: string; starts_on: string }[];
    const facts = (
      await client.query(
        `SELECT e.intervention_id, e.participant_id AS "participantId", e.started_on::text AS "startedOn",
                e.exited_on::text AS "exitedOn", e.gender, e.referring_party AS "referringParty", e.age_band AS "ageBand",
                e.education_level AS "educationLevel", e.municipality_code::text AS municipality,
                e.exit_reason AS "exitReason", 'social_assistance' = ANY(e.income_support_at_start) AS "socialAssistanceAtStart",
                COALESCE('social_assistance' = ANY(e.income_support_at_exit), false) AS "socialAssistanceAtExit",
                e.disclosure_key::float8 AS "enrolmentKey", pa.disclosure_key::float8 AS "participantKey"
           FROM enrolment e JOIN intervention i ON i.id = e.intervention_id
                JOIN participant pa ON pa.id = e.participant_id
          WHERE i.association_id = $1 AND e.removed_at IS NULL`,
        [associationId],
      )
    ).rows as (KeyedFact & { intervention_id: string })[];
    const expected: ResultRow[] = [];
    for (const i of interventions) {
      const own = facts.filter((f) => f.intervention_id === i.id);
      for (const year of scopeYears(i.starts_on, today))
        expected.push(...yearResults('intervention', i.id, own, year));
      expected.push(sinceStartResult('intervention', i.id, own, i.starts_on, today));
    }
    const start = interventions.map((i) => i.starts_on).sort()[0];
    for (const year of scopeYears(start, today))
      expected.push(...yearResults('association', associationId, facts, year));
    expected.push(sinceStartResult('association', associationId, facts, start, today));
    const stored = new Map(
      (
        await client.query(
          `SELECT scope_id, period_code, jsonb_build_object('counts', counts, 'keys', keys) AS counts FROM period_result
            WHERE scope_id = $1 OR scope_id IN (SELECT id FROM intervention WHERE association_id = $1)`,
          [associationId],
        )
      ).rows.map((r: { scope_id: string; period_code: string; counts: unknown }) => [
        `${r.scope_id}/${r.period_code}`,
        r.counts,
      ]),
    );
    for (const row of expected) {
      of += 1;
      if (
        isDeepStrictEqual(
          stored.get(`${row.scopeId}/${row.periodCode}`),
          JSON.parse(JSON.stringify({ counts: row.counts, keys: row.keys })),
        )
      )
        matched += 1;
    }
  }
  return { matched, of };
}

runBenchmark(async (system) => {
  console.log(`bench:aggregate on ${machine()}, ${TODAY}`);
  console.log(
    `scale: ${SCALE.enrolments} enrolments, ${SCALE.associations} associations, ${SCALE.associations * SCALE.interventionsPerAssociation} interventions, ${SCALE.years} years`,
  );
  const { db, worker, queue, events, base } = system;
  const p = plan(SCALE);
  const loadMs = await load(db.url, SCALE, p);
  console.log(`load (COPY):                 ${seconds(loadMs)} s`);

  const rebuildStarted = Date.now();
  const job = await queue.add(JobName.RebuildAll, {}, { jobId: REBUILD_ALL_JOB_ID });
  await events.waitUntilReady();
  await job.waitUntilFinished(events, 30 * 60_000);
  const rebuildMs = Date.now() - rebuildStarted;
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const floorMs = await sqlFloor(client);
    const { matched, floor, stored } = await compareWithStored(client);
    console.log(`full rebuild (worker job):   ${seconds(rebuildMs)} s`);
    console.log(`SQL floor (no writes):       ${seconds(floorMs)} s`);
    console.log(`rebuild / floor:             ${(rebuildMs / floorMs).toFixed(2)}  (target ≤ 2)`);
    console.log(`floor equals stored:         matched ${matched}/${floor}  (stored ${stored})`);
    const sample = p.associations.slice(0, Number(process.env.BENCH_CROSS_CHECK ?? 2)).map((a) => a.id);
    const check = await crossCheck(client, sample);
    console.log(
      `stored equals TypeScript rules (${sample.length} associations): matched ${check.matched}/${check.of}`,
    );
    if (matched !== floor || floor !== stored || check.matched !== check.of)
      throw new Error('the stored results differ from the floor or from the TypeScript rules');
  } finally {
    await client.end();
  }

  const headers = await system.adminHeaders();
  const period = `${TODAY.slice(0, 4)}-Q${Math.floor((Number(TODAY.slice(5, 7)) - 1) / 3) + 1}`;
  const latencies: number[] = [];
  for (let n = 0; n < SCALE.writes; n++) {
    const intervention = p.interventions[(n * 7) % p.interventions.length];
    const reportUrl = `${base}/api/v1/reports/interventions/${intervention.id}?period=${period}`;
    const before = ((await (await fetch(reportUrl, { headers })).json()) as { new: { total: number } }).new
      .total;
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/interventions/${intervention.id}/enrolments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        participantCode: `W-${n}-${randomUUID().slice(0, 6)}`,
        startedOn: TODAY,
        referringParty: 'social_services',
        gender: 'woman',
        ageBand: '19-20',
        municipality: intervention.municipality,
      }),
    });
    if (res.status !== 201) throw new Error(`write failed: ${res.status} ${await res.text()}`);
    await waitFor(
      async () => {
        const body = (await (await fetch(reportUrl, { headers })).json()) as {
          fresh: boolean;
          new: { total: number };
        };
        return body.fresh && body.new.total === before + 1 ? true : undefined;
      },
      30_000,
      'a fresh report',
    );
    latencies.push(performance.now() - t0);
  }
  console.log(
    `write → fresh report (${SCALE.writes} writes): p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms  (target p95 < 500 ms)`,
  );
  console.log(`worker peak RSS:             ${peakRssMiB(worker.pid!).toFixed(0)} MiB  (target < 256 MiB)`);
});
