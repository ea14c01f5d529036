// npm run bench:surveys: how fast and in how much memory a survey answer file is read (dry run of an import),
// for a large CSV, the same as XLSX, and 10 MB of garbage. Parser only (no HTTP, no database): the figures
// are the part an import adds to a request. BENCH_SURVEY_ROWS sets the number of respondents (default 20,000).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import ExcelJS from 'exceljs';
import { loadQuestionnaireFiles, surveyConfigDir } from '../libs/surveys/src/questionnaire-catalogue.service';
import { parseSurveyFile } from '../libs/surveys/src/survey-import';

const ROWS = Number(process.env.BENCH_SURVEY_ROWS ?? 20_000);

const rssMiB = () => process.memoryUsage().rss / 2 ** 20;

async function measure(
  label: string,
  file: Buffer,
  parse: (b: Buffer) => ReturnType<typeof parseSurveyFile>,
) {
  global.gc?.();
  const before = rssMiB();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB())), 5);
  const t0 = performance.now();
  const result = await parse(file);
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, rssMiB());
  console.log(
    `${label.padEnd(22)} ${(file.length / 2 ** 20).toFixed(1).padStart(5)} MiB: ${ms.toFixed(0).padStart(6)} ms, ` +
      `${result.rows.length} rows, ${result.problems.length + result.moreProblems} problems, RSS +${(peak - before).toFixed(0)} MiB`,
  );
}

async function main(): Promise<void> {
  console.log(
    `bench:surveys on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  );
  const q = loadQuestionnaireFiles(surveyConfigDir()).find((x) => x.id === 'nns-staff-2021')!;
  const codes = ['1', '2', '3', '4', '5', '0', ''];
  const rows = Array.from({ length: ROWS }, (_, r) =>
    q.questions.map((_, c) => codes[(r * 7 + c * 3) % codes.length]),
  );
  const csv = Buffer.from(
    [q.questions.map((x) => x.id).join(';'), ...rows.map((r) => r.join(';'))].join('\r\n'),
  );
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Svar');
  sheet.addRow(q.questions.map((x) => x.text));
  for (const r of rows) sheet.addRow(r.map((v) => (v === '' ? null : Number(v))));
  const xlsx = Buffer.from(await book.xlsx.writeBuffer());
  const garbage = randomBytes(10 * 2 ** 20);

  await measure(`CSV ${ROWS} rows`, csv, (b) => parseSurveyFile(b, q));
  await measure(`XLSX ${ROWS} rows`, xlsx, (b) => parseSurveyFile(b, q));
  await measure('garbage (random bytes)', garbage, (b) => parseSurveyFile(b, q));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
