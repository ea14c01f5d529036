// npm run bench:aggregate: national-scale data, full rebuild vs the raw-SQL floor, write-to-fresh-report latency.
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
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
/** The same counts as the rebuild, by plain GROUP BY queries over the raw table: the floor to compare with. */
async function rawSqlFloor(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = Date.now();
  await client.query(`
    CREATE TEMP TABLE floor_period AS
    WITH kinds(suffix, m0, m1) AS (VALUES ('-Q1', 0, 3), ('-Q2', 3, 6), ('-Q3', 6, 9), ('-Q4', 9, 12), ('-H1', 0, 6),
                                          ('-H2', 6, 12), ('-YTD-Q1', 0, 3), ('-YTD-Q2', 0, 6), ('-YTD-Q3', 0, 9), ('', 0, 12)),
         scopes AS (SELECT id AS scope_id, id AS intervention_id, NULL::uuid AS association_id, starts_on FROM intervention
                    UNION ALL SELECT association_id, NULL, association_id, min(starts_on) FROM intervention GROUP BY association_id)
    SELECT s.scope_id, s.intervention_id, s.association_id, y || k.suffix AS code,
           make_date(y, 1, 1) + make_interval(months => k.m0) AS s, (make_date(y, 1, 1) + make_interval(months => k.m1))::date - 1 AS e
      FROM scopes s CROSS JOIN generate_series(extract(year FROM s.starts_on)::int, extract(year FROM current_date)::int) y CROSS JOIN kinds k
    UNION ALL SELECT scope_id, intervention_id, association_id, 'since-start', starts_on, current_date FROM scopes;
    CREATE TEMP TABLE floor_enrolment AS
      SELECT e.*, i.association_id FROM enrolment e JOIN intervention i ON i.id = e.intervention_id WHERE e.removed_at IS NULL;
    CREATE INDEX ON floor_enrolment (intervention_id, started_on);
    CREATE INDEX ON floor_enrolment (association_id, started_on);
    ANALYZE floor_period; ANALYZE floor_enrolment;`);
  // Each query once per level, joined on equality so the indexes serve it: a fair floor, not a slow one.
  const joins = ['intervention_id', 'association_id'].map(
    (key) => `FROM floor_period p JOIN floor_enrolment e ON e.${key} = p.${key}
      AND e.started_on <= p.e AND (e.exited_on IS NULL OR e.exited_on >= p.s)`,
  );
  const queries = joins.flatMap((join) => [
    // active, new, exited by gender, and persons
    `SELECT p.scope_id, p.code, e.gender, count(*), count(*) FILTER (WHERE e.started_on >= p.s),
            count(*) FILTER (WHERE e.exited_on <= p.e), count(DISTINCT e.participant_id) ${join} GROUP BY 1, 2, 3`,
    // new by referring party, age band, education and municipality, per gender
    `SELECT p.scope_id, p.code, e.gender, e.referring_party, e.age_band, e.education_level, e.municipality_code, count(*) ${join}
      WHERE e.started_on >= p.s GROUP BY GROUPING SETS ((1, 2, 3, 4), (1, 2, 3, 5), (1, 2, 3, 6), (1, 2, 3, 7))`,
    // exits by reason and gender, by municipality and reason, social assistance
    `SELECT p.scope_id, p.code, e.gender, e.exit_reason, e.municipality_code, count(*),
            count(*) FILTER (WHERE 'social_assistance' = ANY(e.income_support_at_start)),
            count(*) FILTER (WHERE 'social_assistance' = ANY(e.income_support_at_exit)) ${join}
      WHERE e.exited_on <= p.e GROUP BY GROUPING SETS ((1, 2, 3, 4), (1, 2, 4, 5), (1, 2))`,
    // median days enrolled among those exited
    `SELECT p.scope_id, p.code, percentile_cont(0.5) WITHIN GROUP (ORDER BY e.exited_on - e.started_on) ${join}
      WHERE e.exited_on <= p.e GROUP BY 1, 2`,
  ]);
  for (const sql of queries) await client.query(sql);
  const elapsed = Date.now() - started;
  await client.end();
  return elapsed;
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
  const floorMs = await rawSqlFloor(db.url);
  console.log(`full rebuild (worker job):   ${seconds(rebuildMs)} s`);
  console.log(`raw-SQL floor (GROUP BY):    ${seconds(floorMs)} s`);
  console.log(`rebuild / floor:             ${(rebuildMs / floorMs).toFixed(2)}  (target ≤ 2)`);

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
  console.log(`worker peak RSS:             ${peakRssMiB(worker.pid!).toFixed(0)} MiB  (target < 512 MiB)`);
});
