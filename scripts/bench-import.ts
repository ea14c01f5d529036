// npm run bench:import: 100,000 rows (CSV) through the real API and worker, as separate processes, against
// the same machine's raw COPY of the same rows as the floor.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { machine, peakRssMiB, runBenchmark, seconds, waitFor } from './bench-lib';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const INTERVENTIONS = 10;
const GENDERS = ['Kvinna', 'Man', 'man', 'woman', 'Ej angett'];
const PARTIES = ['Försäkringskassan', 'Arbetsförmedlingen', 'social_services', 'Skolan', 'Egen anmälan'];
const CODES = {
  Kvinna: 'woman',
  Man: 'man',
  man: 'man',
  woman: 'woman',
  'Ej angett': 'unspecified',
} as const;
const PARTY_CODES: Record<string, string> = {
  Försäkringskassan: 'social_insurance',
  Arbetsförmedlingen: 'employment_service',
  social_services: 'social_services',
  Skolan: 'school',
  'Egen anmälan': 'self_referral',
};
const MUNICIPALITIES = ['0136', 'Tyresö', 'Nynäshamn', '0123', 'Sundbyberg'];

interface Row {
  code: string;
  intervention: number;
  start: string;
  gender: string;
  party: string;
  age: number;
  municipality: string;
  exit: string | null;
}

function rows(): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < ROWS; i++) {
    const year = 2016 + (i % 9);
    const month = 1 + (i % 12);
    const start = `${year}-${String(month).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    out.push({
      code: `B-${i}`,
      intervention: i % INTERVENTIONS,
      start,
      gender: GENDERS[i % GENDERS.length],
      party: PARTIES[i % PARTIES.length],
      age: 16 + (i % 51),
      municipality: MUNICIPALITIES[i % MUNICIPALITIES.length],
      exit: i % 2 === 0 ? `${year + 1}-${String(month).padStart(2, '0')}-15` : null,
    });
  }
  return out;
}

function csv(data: Row[], names: string[]): string {
  const header =
    'Deltagarkod;Insats;Startdatum;Anvisande part;Kön;Ålder;Kommun;Utbildning;Försörjning vid start;Slutdatum;Avslutsorsak;Försörjning vid avslut';
  const lines = data.map((r) =>
    [
      r.code,
      names[r.intervention],
      r.start,
      r.party,
      r.gender,
      r.age,
      r.municipality,
      'Gymnasium',
      'Försörjningsstöd/ekonomiskt bistånd',
      r.exit ?? '',
      r.exit ? 'Arbete' : '',
      r.exit ? 'Lön' : '',
    ].join(';'),
  );
  return [header, ...lines].join('\r\n') + '\r\n';
}

runBenchmark(async (system) => {
  console.log(`bench:import on ${machine()}, ${new Date().toISOString()}`);
  const { base, api, worker, db } = system;
  const headers = await system.adminHeaders();
  const json = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const association = await json('/api/v1/associations', {
    method: 'POST',
    body: JSON.stringify({ name: 'Bench' }),
  });
  const names: string[] = [];
  const interventionIds: string[] = [];
  for (let i = 0; i < INTERVENTIONS; i++) {
    const name = `Insats ${i}`;
    const created = await json('/api/v1/interventions', {
      method: 'POST',
      body: JSON.stringify({
        associationId: association.id,
        name,
        startsOn: '2015-01-01',
        municipalities: ['0136'],
      }),
    });
    names.push(name);
    interventionIds.push(created.id as string);
  }
  const data = rows();
  const file = Buffer.from(csv(data, names), 'utf8');
  console.log(
    `file: ${ROWS} rows, ${(file.length / 2 ** 20).toFixed(1)} MiB CSV (Swedish headings and labels)`,
  );

  const status = (id: string) => json(`/api/v1/imports/${id}`);
  const until = (id: string, wanted: string[]) =>
    waitFor(
      async () => {
        const s = await status(id);
        return wanted.includes(s.status as string) ? s : undefined;
      },
      30 * 60_000,
      `import ${wanted.join('/')}`,
    );

  const t0 = performance.now();
  const form = new FormData();
  form.append('associationId', association.id as string);
  form.append('file', new Blob([file], { type: 'text/csv' }), 'bench.csv');
  const upload = await fetch(`${base}/api/v1/imports`, {
    method: 'POST',
    headers: { authorization: headers.authorization },
    body: form,
  });
  if (upload.status !== 202) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
  const { id } = (await upload.json()) as { id: string };
  const tUploaded = performance.now();
  const validated = await until(id, ['validated', 'failed']);
  const tValidated = performance.now();
  if (validated.status !== 'validated' || validated.problemCount !== 0) {
    throw new Error(`validation: ${JSON.stringify(validated).slice(0, 500)}`);
  }
  await json(`/api/v1/imports/${id}/commit`, { method: 'POST' });
  const done = await until(id, ['done', 'failed']);
  const tDone = performance.now();
  if (done.status !== 'done') throw new Error(`commit: ${JSON.stringify(done).slice(0, 500)}`);
  const total = tDone - t0;
  console.log(
    `upload ${seconds(tUploaded - t0)} s, validation ${seconds(tValidated - tUploaded)} s, commit ${seconds(tDone - tValidated)} s`,
  );
  console.log(
    `end to end (upload → done): ${seconds(total)} s = ${Math.round(ROWS / (total / 1000))} rows/s (target ≥ 10,000); summary ${JSON.stringify(done.summary)}`,
  );
  console.log(
    `API peak RSS: ${peakRssMiB(api.pid!).toFixed(0)} MiB, worker peak RSS: ${peakRssMiB(worker.pid!).toFixed(0)} MiB`,
  );

  // Freshness is the aggregation's work (every marked insats and year is recomputed); bounded wait.
  const year = 2024;
  const freshTimeout = Number(process.env.BENCH_FRESH_TIMEOUT_S ?? 120) * 1000;
  const fresh = await waitFor(
    async () => {
      const r = await json(`/api/v1/reports/interventions/${interventionIds[0]}?period=${year}`);
      return r.fresh === true ? r : undefined;
    },
    freshTimeout,
    'fresh reports',
  ).catch(() => null);
  const tFresh = performance.now();
  console.log(
    fresh
      ? `reports fresh ${seconds(tFresh - tDone)} s after the commit (insats report ${year}; target ≤ 5 s)`
      : `reports not fresh within ${freshTimeout / 1000} s of the commit (the recomputes of every marked insats and year were still running)`,
  );

  // The floor: the same rows, codes already resolved, COPYed into a bare table shaped like enrolment.
  const client = new Client({ connectionString: db.url });
  await client.connect();
  await client.query(`CREATE TABLE bench_copy (LIKE enrolment INCLUDING DEFAULTS)`);
  const lines = data.map(
    (r) =>
      [
        randomUUID(),
        interventionIds[r.intervention],
        randomUUID(),
        r.start,
        PARTY_CODES[r.party],
        CODES[r.gender as keyof typeof CODES],
        '21-24',
        '0136',
        'upper_secondary',
        '{social_assistance}',
        r.exit ?? '\\N',
        r.exit ? 'work' : '\\N',
        r.exit ? '{salary}' : '\\N',
        String(Math.floor(Math.random() * 2 ** 48)), // the participant's record key, resolved like the codes
      ].join('\t') + '\n',
  );
  const tc = performance.now();
  await pipeline(
    Readable.from(lines),
    client.query(
      copyFrom(
        `COPY bench_copy (id, intervention_id, participant_id, started_on, referring_party, gender, age_band,
           municipality_code, education_level, income_support_at_start, exited_on, exit_reason, income_support_at_exit,
           participant_key)
         FROM STDIN`,
      ),
    ),
  );
  const copyMs = performance.now() - tc;
  await client.end();
  console.log(
    `raw COPY floor: ${seconds(copyMs)} s = ${Math.round(ROWS / (copyMs / 1000))} rows/s; import / floor = ${(total / copyMs).toFixed(1)}`,
  );
});
