/**
 * Every stored period result of some associations (and of their interventions), computed set-based in
 * PostgreSQL from the raw rows, in exactly the stored (compact) shape of `compactCounts`. Used by the full
 * rebuild (one statement per association, no rows through Node) and by `bench:aggregate` as its floor.
 *
 * Parameters: $1 association ids (uuid[], NULL for all), $2 today (date, Stockholm).
 *
 * How, briefly (the rules are those of domain.md, as in libs/domain/src/metrics.ts):
 * - new and exit counts are summed per quarter once (GROUPING SETS give every breakdown in one pass), then
 *   each quarter is added into the periods that contain it (quarter, half, year-to-date, year);
 * - active = starts up to the period's end − exits before its start, from running sums over quarters;
 * - distinct persons = enrolments − the overcount of the few people with several enrolments in the scope;
 * - the median of days enrolled from the exits of each period (percentile_cont = mean of the middle two);
 * - "since start" ([scope start, today], not quarter-aligned) is summed from the rows directly; after a purge
 *   its median also takes the purged exits' kept days, and the write adds the purged base to its counts
 *   (aggregation.repository.ts, README "Retention");
 * - beside the counts, the cell key of every count cell (`keys`, the shape of `compactKeys`): the same sums
 *   over the record keys (enrolment's, and the participant's for persons, with the same overcount correction),
 *   summed as numeric (a bigint sum of many 48-bit keys could overflow) and taken modulo 2^48 at the end.
 */
export const CELL_KEY_MODULUS_SQL = '281474976710656';
const M = CELL_KEY_MODULUS_SQL;
const ZERO_SPLIT = `'{"woman":0,"man":0,"unspecified":0,"total":0}'`;
/** A per-gender object of cell keys from an aggregate of keys `k` over rows with gender `g`. */
const keySplit = (k: string) =>
  `jsonb_build_object('woman', COALESCE(sum(${k}) FILTER (WHERE g = 'woman'), 0) % ${M},
                      'man', COALESCE(sum(${k}) FILTER (WHERE g = 'man'), 0) % ${M},
                      'unspecified', COALESCE(sum(${k}) FILTER (WHERE g = 'unspecified'), 0) % ${M},
                      'total', COALESCE(sum(${k}), 0) % ${M})`;

export const PERIOD_RESULTS_SQL = `
WITH
sc AS (
  SELECT 'intervention'::text AS scope_type, i.id AS scope_id, i.starts_on AS s0
    FROM intervention i WHERE $1::uuid[] IS NULL OR i.association_id = ANY($1::uuid[])
  UNION ALL
  SELECT 'association', i.association_id, min(i.starts_on)
    FROM intervention i WHERE $1::uuid[] IS NULL OR i.association_id = ANY($1::uuid[])
   GROUP BY i.association_id
),
kinds(suffix, qa, qb) AS (
  VALUES ('-Q1', 1, 1), ('-Q2', 2, 2), ('-Q3', 3, 3), ('-Q4', 4, 4), ('-H1', 1, 2), ('-H2', 3, 4),
         ('-YTD-Q1', 1, 1), ('-YTD-Q2', 1, 2), ('-YTD-Q3', 1, 3), ('', 1, 4)
),
qk AS (SELECT q, suffix FROM kinds, generate_series(qa, qb) q),
pp AS (
  SELECT sc.scope_type, sc.scope_id, y::text || k.suffix AS code, y, k.qa, k.qb,
         make_date(y, 3 * k.qa - 2, 1) AS s, (make_date(y, 3 * k.qb - 2, 1) + interval '3 months')::date - 1 AS e
    FROM sc CROSS JOIN generate_series(extract(year FROM sc.s0)::int, extract(year FROM $2::date)::int) y
         CROSS JOIN kinds k
  UNION ALL
  SELECT scope_type, scope_id, 'since-start', NULL, NULL, NULL, s0, $2::date FROM sc
),
sf AS MATERIALIZED (
  SELECT s.scope_type, s.scope_id, e.participant_id AS pid, e.started_on AS st, e.exited_on AS ex,
         e.gender AS g, e.referring_party AS party, e.age_band AS band, e.education_level AS edu,
         e.municipality_code::text AS muni, e.exit_reason AS reason,
         'social_assistance' = ANY(e.income_support_at_start) AS sas,
         COALESCE('social_assistance' = ANY(e.income_support_at_exit), false) AS sax,
         extract(year FROM e.started_on)::int * 4 + extract(quarter FROM e.started_on)::int - 1 AS sn,
         extract(year FROM e.exited_on)::int * 4 + extract(quarter FROM e.exited_on)::int - 1 AS xn,
         e.started_on BETWEEN sc.s0 AND $2::date AS ss_new,
         e.exited_on BETWEEN sc.s0 AND $2::date AS ss_exit,
         e.started_on <= $2::date AND (e.exited_on IS NULL OR e.exited_on >= sc.s0) AS ss_active,
         e.disclosure_key AS ek, pa.disclosure_key AS pk
    FROM enrolment e JOIN intervention i ON i.id = e.intervention_id
         JOIN participant pa ON pa.id = e.participant_id
         CROSS JOIN LATERAL (VALUES ('intervention', e.intervention_id), ('association', i.association_id))
           AS s(scope_type, scope_id)
         JOIN sc ON sc.scope_type = s.scope_type AND sc.scope_id = s.scope_id
   WHERE e.removed_at IS NULL AND ($1::uuid[] IS NULL OR i.association_id = ANY($1::uuid[]))
),
nb AS (
  SELECT scope_type, scope_id, sn, ss_new, g,
         CASE WHEN GROUPING(party) = 0 THEN 'party' WHEN GROUPING(band) = 0 THEN 'band'
              WHEN GROUPING(edu) = 0 THEN 'edu' WHEN GROUPING(muni) = 0 THEN 'muni' ELSE 'all' END AS dim,
         COALESCE(party, band, edu, muni, '') AS key, count(*)::int AS n, sum(ek) AS k, sum(pk) AS pk
    FROM sf
   GROUP BY scope_type, scope_id, sn, ss_new, g, GROUPING SETS ((party), (band), (edu), (muni), ())
),
xb AS (
  SELECT scope_type, scope_id, xn, ss_exit, g, reason, muni,
         CASE WHEN GROUPING(muni) = 0 THEN 'munireason' WHEN GROUPING(reason) = 0 THEN 'reason' ELSE 'all' END AS dim,
         count(*)::int AS n, count(*) FILTER (WHERE sas)::int AS sa_start, count(*) FILTER (WHERE sax)::int AS sa_exit,
         sum(ek) AS k, sum(pk) AS pk, COALESCE(sum(ek) FILTER (WHERE sas), 0) AS ksa_start,
         COALESCE(sum(ek) FILTER (WHERE sax), 0) AS ksa_exit
    FROM sf WHERE ex IS NOT NULL
   GROUP BY scope_type, scope_id, xn, ss_exit, GROUPING SETS ((g), (g, reason), (muni, reason))
),
nsum AS (
  SELECT b.scope_type, b.scope_id, (b.sn / 4)::text || k.suffix AS code, b.dim, b.key, b.g, sum(b.n)::int AS n,
         sum(b.k) AS k, sum(b.pk) AS pk
    FROM nb b JOIN qk k ON k.q = b.sn % 4 + 1 GROUP BY 1, 2, 3, 4, 5, 6
  UNION ALL
  SELECT scope_type, scope_id, 'since-start', dim, key, g, sum(n)::int, sum(k), sum(pk)
    FROM nb WHERE ss_new GROUP BY 1, 2, 3, 4, 5, 6
),
xsum AS (
  SELECT b.scope_type, b.scope_id, (b.xn / 4)::text || k.suffix AS code, b.dim, b.g, b.reason, b.muni,
         sum(b.n)::int AS n, sum(b.sa_start)::int AS sa_start, sum(b.sa_exit)::int AS sa_exit,
         sum(b.k) AS k, sum(b.pk) AS pk, sum(b.ksa_start) AS ksa_start, sum(b.ksa_exit) AS ksa_exit
    FROM xb b JOIN qk k ON k.q = b.xn % 4 + 1 GROUP BY 1, 2, 3, 4, 5, 6, 7
  UNION ALL
  SELECT scope_type, scope_id, 'since-start', dim, g, reason, muni, sum(n)::int, sum(sa_start)::int, sum(sa_exit)::int,
         sum(k), sum(pk), sum(ksa_start), sum(ksa_exit)
    FROM xb WHERE ss_exit GROUP BY 1, 2, 3, 4, 5, 6, 7
),
ngc AS (
  SELECT scope_type, scope_id, code, dim, key, sum(n) AS total,
         jsonb_build_object('woman', COALESCE(sum(n) FILTER (WHERE g = 'woman'), 0),
                            'man', COALESCE(sum(n) FILTER (WHERE g = 'man'), 0),
                            'unspecified', COALESCE(sum(n) FILTER (WHERE g = 'unspecified'), 0),
                            'total', sum(n)) AS obj,
         sum(pk) AS pk, ${keySplit('k')} AS kobj
    FROM nsum GROUP BY 1, 2, 3, 4, 5
),
nobj AS (
  SELECT scope_type, scope_id, code,
         (array_agg(obj) FILTER (WHERE dim = 'all'))[1] AS all_obj,
         COALESCE(sum(total) FILTER (WHERE dim = 'all'), 0) AS total,
         COALESCE(jsonb_object_agg(key, obj) FILTER (WHERE dim = 'party'), '{}') AS by_party,
         COALESCE(jsonb_object_agg(key, obj) FILTER (WHERE dim = 'band'), '{}') AS by_band,
         COALESCE(jsonb_object_agg(key, obj) FILTER (WHERE dim = 'edu'), '{}') AS by_edu,
         COALESCE(jsonb_object_agg(key, obj) FILTER (WHERE dim = 'muni'), '{}') AS by_muni,
         (array_agg(kobj) FILTER (WHERE dim = 'all'))[1] AS all_kobj,
         COALESCE(sum(pk) FILTER (WHERE dim = 'all'), 0) AS pk,
         COALESCE(jsonb_object_agg(key, kobj) FILTER (WHERE dim = 'party'), '{}') AS by_party_k,
         COALESCE(jsonb_object_agg(key, kobj) FILTER (WHERE dim = 'band'), '{}') AS by_band_k,
         COALESCE(jsonb_object_agg(key, kobj) FILTER (WHERE dim = 'edu'), '{}') AS by_edu_k,
         COALESCE(jsonb_object_agg(key, kobj) FILTER (WHERE dim = 'muni'), '{}') AS by_muni_k
    FROM ngc GROUP BY 1, 2, 3
),
xgc AS (
  SELECT scope_type, scope_id, code, dim, COALESCE(reason, '') AS key, sum(n) AS total,
         sum(sa_start) AS sa_start, sum(sa_exit) AS sa_exit,
         jsonb_build_object('woman', COALESCE(sum(n) FILTER (WHERE g = 'woman'), 0),
                            'man', COALESCE(sum(n) FILTER (WHERE g = 'man'), 0),
                            'unspecified', COALESCE(sum(n) FILTER (WHERE g = 'unspecified'), 0),
                            'total', sum(n)) AS obj,
         sum(pk) AS pk, sum(ksa_start) AS ksa_start, sum(ksa_exit) AS ksa_exit, ${keySplit('k')} AS kobj
    FROM xsum WHERE dim IN ('all', 'reason') GROUP BY 1, 2, 3, 4, 5
),
xobj AS (
  SELECT scope_type, scope_id, code,
         (array_agg(obj) FILTER (WHERE dim = 'all'))[1] AS all_obj,
         COALESCE(sum(total) FILTER (WHERE dim = 'all'), 0) AS total,
         COALESCE(sum(sa_start) FILTER (WHERE dim = 'all'), 0) AS sa_start,
         COALESCE(sum(sa_exit) FILTER (WHERE dim = 'all'), 0) AS sa_exit,
         COALESCE(jsonb_object_agg(key, obj) FILTER (WHERE dim = 'reason'), '{}') AS by_reason,
         (array_agg(kobj) FILTER (WHERE dim = 'all'))[1] AS all_kobj,
         COALESCE(sum(pk) FILTER (WHERE dim = 'all'), 0) AS pk,
         COALESCE(sum(ksa_start) FILTER (WHERE dim = 'all'), 0) AS ksa_start,
         COALESCE(sum(ksa_exit) FILTER (WHERE dim = 'all'), 0) AS ksa_exit,
         COALESCE(jsonb_object_agg(key, kobj) FILTER (WHERE dim = 'reason'), '{}') AS by_reason_k
    FROM xgc GROUP BY 1, 2, 3
),
mr AS (
  SELECT scope_type, scope_id, code, jsonb_object_agg(muni, obj) AS obj, jsonb_object_agg(muni, kobj) AS kobj
    FROM (SELECT scope_type, scope_id, code, muni, jsonb_object_agg(reason, n) AS obj,
                 jsonb_object_agg(reason, k % ${M}) AS kobj
            FROM xsum WHERE dim = 'munireason' GROUP BY 1, 2, 3, 4) x
   GROUP BY 1, 2, 3
),
qc AS (SELECT scope_type, scope_id, sn AS n, g, sum(n) AS starts, sum(k) AS sk, sum(pk) AS spk
        FROM nb WHERE dim = 'all' GROUP BY 1, 2, 3, 4),
xc AS (SELECT scope_type, scope_id, xn AS n, g, sum(n) AS exits, sum(k) AS xk, sum(pk) AS xpk
        FROM xb WHERE dim = 'all' GROUP BY 1, 2, 3, 4),
bounds AS (
  SELECT sc.scope_type, sc.scope_id,
         least(extract(year FROM sc.s0)::int * 4, q.lo, x.lo) AS lo,
         greatest(extract(year FROM $2::date)::int * 4 + 3, q.hi, x.hi) AS hi
    FROM sc
    LEFT JOIN (SELECT scope_type, scope_id, min(n) AS lo, max(n) AS hi FROM qc GROUP BY 1, 2) q
      USING (scope_type, scope_id)
    LEFT JOIN (SELECT scope_type, scope_id, min(n) AS lo, max(n) AS hi FROM xc GROUP BY 1, 2) x
      USING (scope_type, scope_id)
),
cum AS (
  SELECT gr.scope_type, gr.scope_id, gr.n, gr.g,
         sum(COALESCE(qc.starts, 0)) OVER w AS cs, sum(COALESCE(xc.exits, 0)) OVER w AS cx,
         sum(COALESCE(qc.sk, 0)) OVER w AS csk, sum(COALESCE(xc.xk, 0)) OVER w AS cxk,
         sum(COALESCE(qc.spk, 0)) OVER w AS cspk, sum(COALESCE(xc.xpk, 0)) OVER w AS cxpk
    FROM (SELECT b.scope_type, b.scope_id, n, gg.g FROM bounds b CROSS JOIN generate_series(b.lo, b.hi) n
            CROSS JOIN (VALUES ('woman'), ('man'), ('unspecified')) gg(g)) gr
         LEFT JOIN qc USING (scope_type, scope_id, n, g) LEFT JOIN xc USING (scope_type, scope_id, n, g)
  WINDOW w AS (PARTITION BY gr.scope_type, gr.scope_id, gr.g ORDER BY gr.n)
),
act AS (
  SELECT scope_type, scope_id, code, sum(v)::int AS total,
         jsonb_build_object('woman', COALESCE(sum(v) FILTER (WHERE g = 'woman'), 0),
                            'man', COALESCE(sum(v) FILTER (WHERE g = 'man'), 0),
                            'unspecified', COALESCE(sum(v) FILTER (WHERE g = 'unspecified'), 0),
                            'total', sum(v)) AS obj,
         ${keySplit('vk')} AS kobj, sum(vpk) AS pk
    FROM (SELECT p.scope_type, p.scope_id, p.code, a.g, a.cs - COALESCE(b.cx, 0) AS v,
                 a.csk - COALESCE(b.cxk, 0) AS vk, a.cspk - COALESCE(b.cxpk, 0) AS vpk
            FROM pp p JOIN cum a ON a.scope_type = p.scope_type AND a.scope_id = p.scope_id AND a.n = p.y * 4 + p.qb - 1
                 LEFT JOIN cum b ON b.scope_type = p.scope_type AND b.scope_id = p.scope_id
                                AND b.n = p.y * 4 + p.qa - 2 AND b.g = a.g
           WHERE p.y IS NOT NULL
          UNION ALL
          SELECT scope_type, scope_id, 'since-start', g, count(*), sum(ek), sum(pk)
            FROM sf WHERE ss_active GROUP BY 1, 2, 3, 4) v
   GROUP BY 1, 2, 3
),
multi AS (
  SELECT sf.* FROM sf
    JOIN (SELECT scope_type, scope_id, pid FROM sf GROUP BY 1, 2, 3 HAVING count(*) > 1) m
      USING (scope_type, scope_id, pid)
),
pc AS (
  SELECT scope_type, scope_id, code,
         sum(greatest(ka - 1, 0))::int AS ca, sum(greatest(kn - 1, 0))::int AS cn, sum(greatest(kx - 1, 0))::int AS cx,
         sum(greatest(ka - 1, 0)::numeric * pk) AS pka, sum(greatest(kn - 1, 0)::numeric * pk) AS pkn,
         sum(greatest(kx - 1, 0)::numeric * pk) AS pkx
    FROM (SELECT p.scope_type, p.scope_id, p.code, m.pid, m.pk, count(*) AS ka,
                 count(*) FILTER (WHERE m.st >= p.s) AS kn, count(*) FILTER (WHERE m.ex <= p.e) AS kx
            FROM multi m JOIN pp p ON p.scope_type = m.scope_type AND p.scope_id = m.scope_id
             AND (p.y IS NULL OR p.y BETWEEN extract(year FROM m.st) AND COALESCE(extract(year FROM m.ex), 9999))
             AND m.st <= p.e AND (m.ex IS NULL OR m.ex >= p.s)
           GROUP BY 1, 2, 3, 4, 5) k
   GROUP BY 1, 2, 3
),
md AS (
  SELECT scope_type, scope_id, code, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median
    FROM (SELECT x.scope_type, x.scope_id, (x.xn / 4)::text || k.suffix AS code, x.ex - x.st AS days
            FROM sf x JOIN qk k ON k.q = x.xn % 4 + 1 WHERE x.ex IS NOT NULL
          UNION ALL
          SELECT scope_type, scope_id, 'since-start', ex - st FROM sf WHERE ss_exit
          UNION ALL
          -- Retention: the kept days of purged exits count in since start (an association's: its insatser's).
          SELECT s.scope_type, s.scope_id, 'since-start', pd
            FROM purged_since_start b JOIN intervention i ON b.scope_type = 'intervention' AND i.id = b.scope_id
                 CROSS JOIN LATERAL (VALUES ('intervention', i.id), ('association', i.association_id))
                   AS s(scope_type, scope_id)
                 JOIN sc ON sc.scope_type = s.scope_type AND sc.scope_id = s.scope_id
                 CROSS JOIN unnest(b.exit_days) pd) d
   GROUP BY 1, 2, 3
)
SELECT p.scope_type, p.scope_id, p.code AS period_code, p.y AS year, p.s AS period_start, p.e AS period_end,
       jsonb_build_object(
         'active', COALESCE(a.obj, '{"woman":0,"man":0,"unspecified":0,"total":0}'),
         'new', COALESCE(n.all_obj, '{"woman":0,"man":0,"unspecified":0,"total":0}'),
         'exited', COALESCE(x.all_obj, '{"woman":0,"man":0,"unspecified":0,"total":0}'),
         'exitsByReason', COALESCE(x.by_reason, '{}'),
         'newByReferringParty', COALESCE(n.by_party, '{}'),
         'newByAgeBand', COALESCE(n.by_band, '{}'),
         'newByEducationLevel', COALESCE(n.by_edu, '{}'),
         'newByMunicipality', COALESCE(n.by_muni, '{}'),
         'exitsByMunicipalityAndReason', COALESCE(mr.obj, '{}'),
         'socialAssistance', jsonb_build_object('atStart', COALESCE(x.sa_start, 0), 'atExit', COALESCE(x.sa_exit, 0)),
         'medianDaysEnrolled', md.median,
         'persons', jsonb_build_object('active', COALESCE(a.total, 0) - COALESCE(pc.ca, 0),
                                       'new', COALESCE(n.total, 0) - COALESCE(pc.cn, 0),
                                       'exited', COALESCE(x.total, 0) - COALESCE(pc.cx, 0))
       ) AS counts,
       jsonb_build_object(
         'active', COALESCE(a.kobj, ${ZERO_SPLIT}),
         'new', COALESCE(n.all_kobj, ${ZERO_SPLIT}),
         'exited', COALESCE(x.all_kobj, ${ZERO_SPLIT}),
         'exitsByReason', COALESCE(x.by_reason_k, '{}'),
         'newByReferringParty', COALESCE(n.by_party_k, '{}'),
         'newByAgeBand', COALESCE(n.by_band_k, '{}'),
         'newByEducationLevel', COALESCE(n.by_edu_k, '{}'),
         'newByMunicipality', COALESCE(n.by_muni_k, '{}'),
         'exitsByMunicipalityAndReason', COALESCE(mr.kobj, '{}'),
         'socialAssistance', jsonb_build_object('atStart', COALESCE(x.ksa_start, 0) % ${M},
                                                'atExit', COALESCE(x.ksa_exit, 0) % ${M}),
         'persons', jsonb_build_object('active', (COALESCE(a.pk, 0) - COALESCE(pc.pka, 0)) % ${M},
                                       'new', (COALESCE(n.pk, 0) - COALESCE(pc.pkn, 0)) % ${M},
                                       'exited', (COALESCE(x.pk, 0) - COALESCE(pc.pkx, 0)) % ${M})
       ) AS keys
  FROM pp p
  LEFT JOIN act a USING (scope_type, scope_id, code)
  LEFT JOIN nobj n USING (scope_type, scope_id, code)
  LEFT JOIN xobj x USING (scope_type, scope_id, code)
  LEFT JOIN mr USING (scope_type, scope_id, code)
  LEFT JOIN pc USING (scope_type, scope_id, code)
  LEFT JOIN md USING (scope_type, scope_id, code)
`;
