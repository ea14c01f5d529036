/**
 * Every stored period result of some associations (and of their interventions), computed set-based in
 * PostgreSQL from the raw rows, in exactly the stored (compact) shape of `compactCounts`. Used by the full
 * rebuild (one statement per association, no rows through Node) and by `bench:aggregate` as its floor.
 *
 * Parameters: $1 association ids (uuid[], NULL for all), $2 today (date, Stockholm).
 *
 * How, briefly (the rules are those of domain.md, as in libs/domain/src/metrics.ts):
 * - scopes and periods are small integers (`sid`; `pn` = year * 10 + kind, 0 for since-start), so every
 *   grouping and join is on integers; the text codes are attached at the end;
 * - new and exit counts are summed per quarter once (GROUPING SETS give every breakdown in one pass), with
 *   the genders as columns, then each quarter is added into the periods that contain it (quarter, half,
 *   year-to-date, year);
 * - active = starts up to the period's end − exits before its start, from running sums over quarters;
 * - distinct persons = enrolments − the overcount of the few people with several enrolments in the scope,
 *   counted over the periods each such enrolment overlaps;
 * - the median of days enrolled from the exits of each period (percentile_cont = mean of the middle two);
 * - "since start" ([scope start, today], not quarter-aligned) is summed from the rows directly; after a purge
 *   its median also takes the purged exits' kept days, and the write adds the purged base to its counts
 *   (aggregation.repository.ts, README "Retention");
 * - beside the counts, the cell key of every count cell (`keys`, the shape of `compactKeys`): the same sums
 *   over the record keys (enrolment's, and the participant's for persons, with the same overcount
 *   correction), modulo 2^48 (see keySum).
 * - each result's two documents are written as JSON text and parsed once: building them with
 *   jsonb_build_object / jsonb_object_agg re-serialised every nested level and cost more than the counting.
 *   The keys written are fixed names and codes the enrolment table's CHECK constraints and the
 *   municipality table allow (letters, digits, '_' and '-'), so they need no escaping. Object keys are
 *   written in jsonb's own order (shorter first), which spares the parser most of its sorting.
 */
export const CELL_KEY_MODULUS_SQL = '281474976710656';
/** 2^48 − 1: `x & MASK` is x modulo 2^48, also for a negative bigint. */
const MASK = '281474976710655';
/** 2^24 − 1: the low half of a 48-bit key. */
const HALF = '16777215';

/**
 * (Σ k) mod 2^48 as a bigint, for keys k in [0, 2^48): the two 24-bit halves are summed as int, and the
 * carry of the low half is added to the high half. A sum of bigint is numeric, and it and the numeric
 * modulo cost about twice as much.
 */
const keySum = (k: string, filter?: string) => {
  const f = filter ? ` FILTER (WHERE ${filter})` : '';
  const hi = `COALESCE(sum(((${k}) >> 24)::int)${f}, 0)`;
  const lo = `COALESCE(sum(((${k}) & ${HALF})::int)${f}, 0)`;
  return `((((${hi} + (${lo} >> 24)) & ${HALF}) << 24) | (${lo} & ${HALF}))`;
};
/** A per-gender object (woman, man, unspecified and their total) as JSON text, in jsonb's key order. */
const split = (w: string, m: string, u: string, t: string) =>
  `format('{"man":%s,"total":%s,"woman":%s,"unspecified":%s}', ${m}, ${t}, ${w}, ${u})`;
const ZERO_SPLIT = `'{"man":0,"total":0,"woman":0,"unspecified":0}'`;
/** The period kinds a quarter (0–3, the quarter number's remainder) belongs to: see `kinds`. */
const kindsOfQuarter = (q: string) =>
  `unnest(CASE ${q} WHEN 0 THEN '{0,4,6,7,8,9}'::int[] WHEN 1 THEN '{1,4,7,8,9}'::int[]
                    WHEN 2 THEN '{2,5,8,9}'::int[] ELSE '{3,5,9}'::int[] END)`;
/** Per-gender counts and keys of the rows grouped (the gender check allows only these three). */
const GENDER_SUMS = `count(*) FILTER (WHERE g = 'woman')::int AS nw, count(*) FILTER (WHERE g = 'man')::int AS nm,
         count(*) FILTER (WHERE g = 'unspecified')::int AS nu, ${keySum('ek', "g = 'woman'")} AS kw,
         ${keySum('ek', "g = 'man'")} AS km, ${keySum('ek', "g = 'unspecified'")} AS ku`;
/** The same, summed again over groups that carry them (nw … ku). */
const GENDER_RESUMS = `sum(nw) AS nw, sum(nm) AS nm, sum(nu) AS nu, ${keySum('kw')} AS kw, ${keySum('km')} AS km,
         ${keySum('ku')} AS ku`;
/** The JSON texts of a group's counts (obj) and cell keys (kobj) from nw … ku. */
const GENDER_OBJECTS = `${split('nw', 'nm', 'nu', 'nw + nm + nu')} AS obj,
                 ${split('kw', 'km', 'ku', `(kw + km + ku) & ${MASK}`)} AS kobj`;

export const PERIOD_RESULTS_SQL = `
WITH
sc AS MATERIALIZED (
  SELECT row_number() OVER ()::int AS sid, scope_type, scope_id, s0, extract(year FROM s0)::int AS y0
    FROM (SELECT 'intervention'::text AS scope_type, i.id AS scope_id, i.starts_on AS s0
            FROM intervention i WHERE $1::uuid[] IS NULL OR i.association_id = ANY($1::uuid[])
          UNION ALL
          SELECT 'association', i.association_id, min(i.starts_on)
            FROM intervention i WHERE $1::uuid[] IS NULL OR i.association_id = ANY($1::uuid[])
           GROUP BY i.association_id) s
),
kinds(k, suffix, qa, qb) AS (
  VALUES (0, '-Q1', 1, 1), (1, '-Q2', 2, 2), (2, '-Q3', 3, 3), (3, '-Q4', 4, 4), (4, '-H1', 1, 2), (5, '-H2', 3, 4),
         (6, '-YTD-Q1', 1, 1), (7, '-YTD-Q2', 1, 2), (8, '-YTD-Q3', 1, 3), (9, '', 1, 4)
),
pp AS MATERIALIZED (
  SELECT sc.sid, y * 10 + k.k AS pn, y::text || k.suffix AS code, y, k.qa, k.qb,
         make_date(y, 3 * k.qa - 2, 1) AS s, (make_date(y, 3 * k.qb - 2, 1) + interval '3 months')::date - 1 AS e
    FROM sc CROSS JOIN generate_series(sc.y0, extract(year FROM $2::date)::int) y CROSS JOIN kinds k
  UNION ALL
  SELECT sid, 0, 'since-start', NULL, NULL, NULL, s0, $2::date FROM sc
),
-- One row per live enrolment and scope (its intervention's and its association's); quarters are numbered
-- year * 4 + quarter − 1.
sf AS MATERIALIZED (
  SELECT s.sid, e.participant_id AS pid, e.started_on AS st, e.exited_on AS ex,
         e.gender AS g, e.referring_party AS party, e.age_band AS band, e.education_level AS edu,
         e.municipality_code::text AS muni, e.exit_reason AS reason,
         'social_assistance' = ANY(e.income_support_at_start) AS sas,
         COALESCE('social_assistance' = ANY(e.income_support_at_exit), false) AS sax,
         extract(year FROM e.started_on)::int * 4 + extract(quarter FROM e.started_on)::int - 1 AS sn,
         extract(year FROM e.exited_on)::int * 4 + extract(quarter FROM e.exited_on)::int - 1 AS xn,
         e.started_on BETWEEN s.s0 AND $2::date AS ss_new,
         e.exited_on BETWEEN s.s0 AND $2::date AS ss_exit,
         e.started_on <= $2::date AND (e.exited_on IS NULL OR e.exited_on >= s.s0) AS ss_active,
         e.disclosure_key AS ek, pa.disclosure_key AS pk
    FROM enrolment e
         JOIN (SELECT i.id, si.sid AS sid_i, si.s0 AS s0_i, sa.sid AS sid_a, sa.s0 AS s0_a
                 FROM intervention i JOIN sc si ON si.scope_type = 'intervention' AND si.scope_id = i.id
                      JOIN sc sa ON sa.scope_type = 'association' AND sa.scope_id = i.association_id) i
           ON i.id = e.intervention_id
         -- Only the associations' own participants (by index): else every run hashes the whole table.
         JOIN participant pa ON pa.id = e.participant_id
                            AND ($1::uuid[] IS NULL OR pa.association_id = ANY($1::uuid[]))
         CROSS JOIN LATERAL (VALUES (i.sid_i, i.s0_i), (i.sid_a, i.s0_a)) AS s(sid, s0)
   WHERE e.removed_at IS NULL
),
-- Starts per scope and quarter: in all (dim 0) and by referring party, age band, education, municipality.
nb AS MATERIALIZED (
  SELECT sid, sn, ss_new,
         CASE WHEN GROUPING(party) = 0 THEN 1 WHEN GROUPING(band) = 0 THEN 2
              WHEN GROUPING(edu) = 0 THEN 3 WHEN GROUPING(muni) = 0 THEN 4 ELSE 0 END AS dim,
         COALESCE(party, band, edu, muni, '') AS key, ${GENDER_SUMS}, ${keySum('pk')} AS pk
    FROM sf
   GROUP BY sid, sn, ss_new, GROUPING SETS ((party), (band), (edu), (muni), ())
),
-- Exits per scope and quarter: in all (dim 0) and by reason (dim 1).
xb AS MATERIALIZED (
  SELECT sid, xn, ss_exit, reason, CASE WHEN GROUPING(reason) = 0 THEN 1 ELSE 0 END AS dim, ${GENDER_SUMS},
         ${keySum('pk')} AS pk, count(*) FILTER (WHERE sas)::int AS sa_start,
         count(*) FILTER (WHERE sax)::int AS sa_exit, ${keySum('ek', 'sas')} AS ksa_start,
         ${keySum('ek', 'sax')} AS ksa_exit
    FROM sf WHERE ex IS NOT NULL
   GROUP BY sid, xn, ss_exit, GROUPING SETS ((), (reason))
),
-- Exits per scope, quarter, municipality and reason (no genders).
xmr AS MATERIALIZED (
  SELECT sid, xn, ss_exit, muni, reason, count(*)::int AS n, ${keySum('ek')} AS k
    FROM sf WHERE ex IS NOT NULL GROUP BY sid, xn, ss_exit, muni, reason
),
nsum AS (
  SELECT sid, pn, dim, key, ${GENDER_RESUMS}, ${keySum('pk')} AS pk
    FROM (SELECT b.*, (b.sn / 4) * 10 + k AS pn FROM nb b CROSS JOIN LATERAL ${kindsOfQuarter('b.sn % 4')} k
          UNION ALL
          SELECT b.*, 0 FROM nb b WHERE ss_new) b
   GROUP BY sid, pn, dim, key
),
nobj AS (
  SELECT sid, pn, min(obj) FILTER (WHERE dim = 0) AS all_obj, min(kobj) FILTER (WHERE dim = 0) AS all_kobj,
         sum(nw + nm + nu) FILTER (WHERE dim = 0) AS total, min(pk) FILTER (WHERE dim = 0) AS pk,
         string_agg('"' || key || '":' || obj, ',') FILTER (WHERE dim = 1) AS by_party,
         string_agg('"' || key || '":' || obj, ',') FILTER (WHERE dim = 2) AS by_band,
         string_agg('"' || key || '":' || obj, ',') FILTER (WHERE dim = 3) AS by_edu,
         string_agg('"' || key || '":' || obj, ',') FILTER (WHERE dim = 4) AS by_muni,
         string_agg('"' || key || '":' || kobj, ',') FILTER (WHERE dim = 1) AS by_party_k,
         string_agg('"' || key || '":' || kobj, ',') FILTER (WHERE dim = 2) AS by_band_k,
         string_agg('"' || key || '":' || kobj, ',') FILTER (WHERE dim = 3) AS by_edu_k,
         string_agg('"' || key || '":' || kobj, ',') FILTER (WHERE dim = 4) AS by_muni_k
    FROM (SELECT sid, pn, dim, key, nw, nm, nu, pk, ${GENDER_OBJECTS} FROM nsum) s
   GROUP BY sid, pn
),
xsum AS (
  SELECT sid, pn, dim, reason, ${GENDER_RESUMS}, ${keySum('pk')} AS pk, sum(sa_start) AS sa_start,
         sum(sa_exit) AS sa_exit, ${keySum('ksa_start')} AS ksa_start, ${keySum('ksa_exit')} AS ksa_exit
    FROM (SELECT b.*, (b.xn / 4) * 10 + k AS pn FROM xb b CROSS JOIN LATERAL ${kindsOfQuarter('b.xn % 4')} k
          UNION ALL
          SELECT b.*, 0 FROM xb b WHERE ss_exit) b
   GROUP BY sid, pn, dim, reason
),
xobj AS (
  SELECT sid, pn, min(obj) FILTER (WHERE dim = 0) AS all_obj, min(kobj) FILTER (WHERE dim = 0) AS all_kobj,
         sum(nw + nm + nu) FILTER (WHERE dim = 0) AS total, min(pk) FILTER (WHERE dim = 0) AS pk,
         sum(sa_start) FILTER (WHERE dim = 0) AS sa_start, sum(sa_exit) FILTER (WHERE dim = 0) AS sa_exit,
         min(ksa_start) FILTER (WHERE dim = 0) AS ksa_start, min(ksa_exit) FILTER (WHERE dim = 0) AS ksa_exit,
         string_agg('"' || reason || '":' || obj, ',') FILTER (WHERE dim = 1) AS by_reason,
         string_agg('"' || reason || '":' || kobj, ',') FILTER (WHERE dim = 1) AS by_reason_k
    FROM (SELECT sid, pn, dim, reason, nw, nm, nu, pk, sa_start, sa_exit, ksa_start, ksa_exit, ${GENDER_OBJECTS}
            FROM xsum) s
   GROUP BY sid, pn
),
mr AS (
  SELECT sid, pn, string_agg('"' || muni || '":{' || obj || '}', ',') AS obj,
         string_agg('"' || muni || '":{' || kobj || '}', ',') AS kobj
    FROM (SELECT sid, pn, muni, string_agg('"' || reason || '":' || n, ',') AS obj,
                 string_agg('"' || reason || '":' || k, ',') AS kobj
            FROM (SELECT sid, pn, muni, reason, sum(n) AS n, ${keySum('k')} AS k
                    FROM (SELECT b.*, (b.xn / 4) * 10 + q AS pn
                            FROM xmr b CROSS JOIN LATERAL ${kindsOfQuarter('b.xn % 4')} q
                          UNION ALL
                          SELECT b.*, 0 FROM xmr b WHERE ss_exit) b
                   GROUP BY sid, pn, muni, reason) s
           GROUP BY sid, pn, muni) x
   GROUP BY sid, pn
),
-- Starts and exits per scope and quarter, over every quarter a period ends in or starts after (so each
-- lookup below finds its row), then summed up to each quarter.
cum AS MATERIALIZED (
  SELECT sid, n, sum(sw) OVER w AS sw, sum(sm) OVER w AS sm, sum(su) OVER w AS su, sum(skw) OVER w AS skw,
         sum(skm) OVER w AS skm, sum(sku) OVER w AS sku, sum(spk) OVER w AS spk, sum(xw) OVER w AS xw,
         sum(xm) OVER w AS xm, sum(xu) OVER w AS xu, sum(xkw) OVER w AS xkw, sum(xkm) OVER w AS xkm,
         sum(xku) OVER w AS xku, sum(xpk) OVER w AS xpk
    FROM (SELECT sid, n, sum(sw) AS sw, sum(sm) AS sm, sum(su) AS su, sum(skw) AS skw, sum(skm) AS skm,
                 sum(sku) AS sku, sum(spk) AS spk, sum(xw) AS xw, sum(xm) AS xm, sum(xu) AS xu, sum(xkw) AS xkw,
                 sum(xkm) AS xkm, sum(xku) AS xku, sum(xpk) AS xpk
            FROM (SELECT sid, sn AS n, nw AS sw, nm AS sm, nu AS su, kw AS skw, km AS skm, ku AS sku, pk AS spk,
                         0 AS xw, 0 AS xm, 0 AS xu, 0 AS xkw, 0 AS xkm, 0 AS xku, 0 AS xpk
                    FROM nb WHERE dim = 0
                  UNION ALL
                  SELECT sid, xn, 0, 0, 0, 0, 0, 0, 0, nw, nm, nu, kw, km, ku, pk FROM xb WHERE dim = 0
                  UNION ALL
                  SELECT sid, n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
                    FROM sc CROSS JOIN generate_series(sc.y0 * 4 - 1, extract(year FROM $2::date)::int * 4 + 3) n) d
           GROUP BY sid, n) q
  WINDOW w AS (PARTITION BY sid ORDER BY n)
),
act AS (
  SELECT sid, pn, vw + vm + vu AS total, pk, ${split('vw', 'vm', 'vu', 'vw + vm + vu')} AS obj,
         ${split('kw', 'km', 'ku', `(kw + km + ku) & ${MASK}`)} AS kobj
    FROM (SELECT p.sid, p.pn, a.sw - b.xw AS vw, a.sm - b.xm AS vm, a.su - b.xu AS vu,
                 ((a.skw - b.xkw) % ${CELL_KEY_MODULUS_SQL})::bigint & ${MASK} AS kw,
                 ((a.skm - b.xkm) % ${CELL_KEY_MODULUS_SQL})::bigint & ${MASK} AS km,
                 ((a.sku - b.xku) % ${CELL_KEY_MODULUS_SQL})::bigint & ${MASK} AS ku,
                 ((a.spk - b.xpk) % ${CELL_KEY_MODULUS_SQL})::bigint & ${MASK} AS pk
            FROM pp p JOIN cum a ON a.sid = p.sid AND a.n = p.y * 4 + p.qb - 1
                 JOIN cum b ON b.sid = p.sid AND b.n = p.y * 4 + p.qa - 2
           WHERE p.y IS NOT NULL
          UNION ALL
          SELECT sid, 0, ${GENDER_SUMS}, ${keySum('pk')} FROM sf WHERE ss_active GROUP BY sid) v
),
multi AS MATERIALIZED (
  SELECT sf.sid, sf.pid, sf.pk, sf.st, sf.ex, sf.sn, sf.xn, sf.ss_active FROM sf
    JOIN (SELECT sid, pid FROM sf GROUP BY 1, 2 HAVING count(*) > 1) m USING (sid, pid)
),
-- The overcount of a person with k enrolments overlapping a period (new in it, exited in it) is k − 1.
pc AS (
  SELECT sid, pn, sum(greatest(ka - 1, 0)) AS ca, sum(greatest(kn - 1, 0)) AS cn, sum(greatest(kx - 1, 0)) AS cx,
         ${keySum(`(greatest(ka - 1, 0) * pk) & ${MASK}`)} AS pka,
         ${keySum(`(greatest(kn - 1, 0) * pk) & ${MASK}`)} AS pkn,
         ${keySum(`(greatest(kx - 1, 0) * pk) & ${MASK}`)} AS pkx
    FROM (SELECT sid, pn, pid, pk, count(*) AS ka, count(*) FILTER (WHERE is_new) AS kn,
                 count(*) FILTER (WHERE is_exit) AS kx
            FROM (SELECT m.sid, y * 10 + k.k AS pn, m.pid, m.pk, m.sn >= y * 4 + k.qa - 1 AS is_new,
                         m.xn <= y * 4 + k.qb - 1 AS is_exit
                    FROM multi m JOIN sc USING (sid)
                         CROSS JOIN generate_series(greatest(extract(year FROM m.st)::int, sc.y0),
                                                    least(extract(year FROM COALESCE(m.ex, $2::date))::int,
                                                          extract(year FROM $2::date)::int)) y
                         CROSS JOIN kinds k
                   WHERE m.sn <= y * 4 + k.qb - 1 AND (m.xn IS NULL OR m.xn >= y * 4 + k.qa - 1)
                  UNION ALL
                  SELECT m.sid, 0, m.pid, m.pk, m.st >= sc.s0, m.ex <= $2::date
                    FROM multi m JOIN sc USING (sid) WHERE m.ss_active) r
           GROUP BY sid, pn, pid, pk) k
   GROUP BY sid, pn
),
md AS (
  SELECT sid, pn, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median
    FROM (SELECT sid, (xn / 4) * 10 + k AS pn, ex - st AS days
            FROM sf CROSS JOIN LATERAL ${kindsOfQuarter('xn % 4')} k WHERE ex IS NOT NULL
          UNION ALL
          SELECT sid, 0, ex - st FROM sf WHERE ss_exit
          UNION ALL
          -- Retention: the kept days of purged exits count in since start (an association's: its insatser's).
          SELECT s.sid, 0, pd
            FROM purged_since_start b JOIN intervention i ON b.scope_type = 'intervention' AND i.id = b.scope_id
                 JOIN sc si ON si.scope_type = 'intervention' AND si.scope_id = i.id
                 JOIN sc sa ON sa.scope_type = 'association' AND sa.scope_id = i.association_id
                 CROSS JOIN LATERAL (VALUES (si.sid), (sa.sid)) AS s(sid)
                 CROSS JOIN unnest(b.exit_days) pd) d
   GROUP BY sid, pn
)
SELECT sc.scope_type, sc.scope_id, p.code AS period_code, p.y AS year, p.s AS period_start, p.e AS period_end,
       format('{"new":%s,"active":%s,"exited":%s,"persons":{"new":%s,"active":%s,"exited":%s},"newByAgeBand":{%s},'
              '"exitsByReason":{%s},"socialAssistance":{"atExit":%s,"atStart":%s},"newByMunicipality":{%s},'
              '"medianDaysEnrolled":%s,"newByEducationLevel":{%s},"newByReferringParty":{%s},'
              '"exitsByMunicipalityAndReason":{%s}}',
              COALESCE(n.all_obj, ${ZERO_SPLIT}), COALESCE(a.obj, ${ZERO_SPLIT}), COALESCE(x.all_obj, ${ZERO_SPLIT}),
              COALESCE(n.total, 0) - COALESCE(pc.cn, 0), COALESCE(a.total, 0) - COALESCE(pc.ca, 0),
              COALESCE(x.total, 0) - COALESCE(pc.cx, 0), n.by_band, x.by_reason, COALESCE(x.sa_exit, 0),
              COALESCE(x.sa_start, 0), n.by_muni, COALESCE(md.median::text, 'null'), n.by_edu, n.by_party,
              mr.obj)::jsonb AS counts,
       format('{"new":%s,"active":%s,"exited":%s,"persons":{"new":%s,"active":%s,"exited":%s},"newByAgeBand":{%s},'
              '"exitsByReason":{%s},"socialAssistance":{"atExit":%s,"atStart":%s},"newByMunicipality":{%s},'
              '"newByEducationLevel":{%s},"newByReferringParty":{%s},"exitsByMunicipalityAndReason":{%s}}',
              COALESCE(n.all_kobj, ${ZERO_SPLIT}), COALESCE(a.kobj, ${ZERO_SPLIT}), COALESCE(x.all_kobj, ${ZERO_SPLIT}),
              (COALESCE(n.pk, 0) - COALESCE(pc.pkn, 0)) & ${MASK}, (COALESCE(a.pk, 0) - COALESCE(pc.pka, 0)) & ${MASK},
              (COALESCE(x.pk, 0) - COALESCE(pc.pkx, 0)) & ${MASK}, n.by_band_k, x.by_reason_k,
              COALESCE(x.ksa_exit, 0), COALESCE(x.ksa_start, 0), n.by_muni_k, n.by_edu_k, n.by_party_k,
              mr.kobj)::jsonb AS keys
  FROM pp p JOIN sc USING (sid)
  LEFT JOIN act a USING (sid, pn)
  LEFT JOIN nobj n USING (sid, pn)
  LEFT JOIN xobj x USING (sid, pn)
  LEFT JOIN mr USING (sid, pn)
  LEFT JOIN pc USING (sid, pn)
  LEFT JOIN md USING (sid, pn)
`;
