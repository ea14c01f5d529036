// Reading a file of survey answers (one row per respondent, one column per question id or question text)
// without holding more than the parsed answers: CSV through csv-parse, XLSX through exceljs's streaming reader.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import {
  codedText,
  withoutCellValue,
  type ProblemCatalogue,
  type SurveyFileProblemCode,
  type SurveyFileProblemDetail,
  type SurveyFileProblemParams,
} from '@app/domain';
import type { Questionnaire } from './questionnaire';
import { ANSWER_VALUE_MESSAGES, answerCode } from './survey-answers';

/** The API's English for each problem code of an answers file; the web words the codes in Swedish. */
export const SURVEY_FILE_PROBLEM_MESSAGES: ProblemCatalogue<SurveyFileProblemParams> = {
  ...ANSWER_VALUE_MESSAGES,
  not_text: () => 'is not text: the file must be CSV in UTF-8 or an XLSX workbook',
  too_many_rows: ({ max }) => `more than ${max} rows`,
  too_many_columns: ({ columns, headerRow, width }) =>
    `has ${columns} columns; the header (row ${headerRow}) has ${width}`,
  no_header: () => 'has no header: name a question id or question text',
  unknown_question: ({ questionnaire }) =>
    `is not a question of ${questionnaire} (neither its id nor its text)`,
  duplicate_question: ({ question, column }) => `question ${question} already has column ${column}`,
  empty_file: () => 'the file is empty: it needs a header row and one row per respondent',
  no_answers: () => 'the file has a header but no answers',
  unreadable_csv: ({ error, detail }) => `is not readable as CSV (${error}): ${detail}`,
  unreadable_xlsx: ({ detail }) => `is not a readable XLSX workbook: ${detail}`,
  exceeds_invited: ({ rows, invited, responses, unused }) =>
    `${rows} rows would exceed the ${invited} invited (the round has ${responses} answers and ${unused} unused links)`,
};

export interface ImportProblem {
  /** 1-based row of the sheet (the header is row 1); null for a problem of the whole file. */
  row: number | null;
  /** Spreadsheet column letter (A, B, …, AA); null for a problem of the whole row or file. */
  column: string | null;
  /** The column's header, when there is one. */
  header?: string;
  code: SurveyFileProblemCode;
  params: object;
  message: string;
}

export function fileProblem(
  at: { row: number | null; column: string | null; header?: string },
  detail: SurveyFileProblemDetail,
): ImportProblem {
  return { ...at, ...detail, message: codedText(SURVEY_FILE_PROBLEM_MESSAGES, detail) };
}

export interface ParsedImport {
  rows: Record<string, string>[];
  problems: ImportProblem[];
  /** Problems beyond MAX_PROBLEMS are counted, not listed. */
  moreProblems: number;
}

export const MAX_IMPORT_ROWS = 20_000;
const MAX_PROBLEMS = 500;
const MAX_RECORD_BYTES = 64 * 1024;

export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const isXlsx = (b: Buffer) =>
  b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** The delimiter of the header line: Swedish Excel writes ";", others ",", some tabs. */
function detectDelimiter(b: Buffer): string {
  const end = b.indexOf(0x0a);
  const line = b.subarray(0, end < 0 ? Math.min(b.length, MAX_RECORD_BYTES) : end).toString('utf8');
  const counts = [';', ',', '\t'].map((d) => [d, line.split(d).length - 1] as const);
  const best = counts.reduce((a, c) => (c[1] > a[1] ? c : a));
  return best[1] > 0 ? best[0] : ',';
}

class Collector {
  readonly problems: ImportProblem[] = [];
  moreProblems = 0;
  readonly rows: Record<string, string>[] = [];
  private columns: ({ questionId: string; header: string } | null)[] = [];
  private headerRow = 0;

  constructor(private readonly q: Questionnaire) {}

  problem(
    at: { row: number | null; column: string | null; header?: string },
    detail: SurveyFileProblemDetail,
  ): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(fileProblem(at, detail));
    else this.moreProblems += 1;
  }

  get tooMany(): boolean {
    return this.problems.length + this.moreProblems >= MAX_PROBLEMS * 4;
  }

  /** A row of cells (text); the first non-blank row is the header. Returns false to stop reading. */
  row(rowNumber: number, cells: string[]): boolean {
    if (cells.some((c) => c.includes('\uFFFD') || c.includes('\u0000'))) {
      const col = cells.findIndex((c) => c.includes('\uFFFD') || c.includes('\u0000'));
      this.problem({ row: rowNumber, column: columnLetter(col) }, { code: 'not_text', params: {} });
      return false;
    }
    if (cells.every((c) => c.trim() === '')) return true;
    if (this.headerRow === 0) {
      this.header(rowNumber, cells);
      // A header naming no question makes every later cell meaningless: stop there. Otherwise read on, so
      // the dry run reports every problem of the recognised columns too.
      return this.columns.some((c) => c !== null);
    }
    if (this.rows.length >= MAX_IMPORT_ROWS) {
      this.problem(
        { row: rowNumber, column: null },
        { code: 'too_many_rows', params: { max: MAX_IMPORT_ROWS } },
      );
      return false;
    }
    const width = this.columns.length;
    let lastFilled = cells.length - 1;
    while (lastFilled >= 0 && cells[lastFilled].trim() === '') lastFilled--;
    if (lastFilled >= width) {
      this.problem(
        { row: rowNumber, column: columnLetter(width) },
        {
          code: 'too_many_columns',
          params: { columns: lastFilled + 1, headerRow: this.headerRow, width },
        },
      );
      return !this.tooMany;
    }
    const answers: Record<string, string> = {};
    this.columns.forEach((column, i) => {
      if (!column) return;
      const question = this.q.questions.find((x) => x.id === column.questionId)!;
      const { code, problem } = answerCode(this.q.scales[question.scale], cells[i] ?? '');
      if (problem) this.problem({ row: rowNumber, column: columnLetter(i), header: column.header }, problem);
      else if (code !== undefined) answers[column.questionId] = code;
    });
    this.rows.push(answers);
    return !this.tooMany;
  }

  private header(rowNumber: number, cells: string[]): void {
    this.headerRow = rowNumber;
    let last = cells.length - 1;
    while (last >= 0 && cells[last].trim() === '') last--;
    const seen = new Map<string, string>();
    this.columns = cells.slice(0, last + 1).map((raw, i) => {
      const header = raw.trim();
      const column = columnLetter(i);
      if (header === '') {
        this.problem({ row: rowNumber, column }, { code: 'no_header', params: {} });
        return null;
      }
      const lower = header.toLowerCase();
      const question =
        this.q.questions.find((x) => x.id === lower) ??
        this.q.questions.find((x) => x.text.trim().toLowerCase() === lower);
      if (!question) {
        this.problem(
          { row: rowNumber, column, header: header.slice(0, 200) },
          { code: 'unknown_question', params: { questionnaire: this.q.id } },
        );
        return null;
      }
      if (seen.has(question.id)) {
        this.problem(
          { row: rowNumber, column, header },
          { code: 'duplicate_question', params: { question: question.id, column: seen.get(question.id)! } },
        );
        return null;
      }
      seen.set(question.id, column);
      return { questionId: question.id, header };
    });
  }

  finish(): ParsedImport {
    if (this.headerRow === 0 && this.problems.length === 0)
      this.problem({ row: 1, column: 'A' }, { code: 'empty_file', params: {} });
    else if (this.problems.length === 0 && this.rows.length === 0)
      this.problem({ row: this.headerRow + 1, column: 'A' }, { code: 'no_answers', params: {} });
    return { rows: this.rows, problems: this.problems, moreProblems: this.moreProblems };
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return cellText(v.text);
    if (v.result !== undefined) return cellText(v.result);
    if (v.error) return v.error;
  }
  return String(value);
}

async function readCsv(file: Buffer, c: Collector): Promise<void> {
  const parser = Readable.from([file]).pipe(
    parse({
      bom: true,
      delimiter: detectDelimiter(file),
      relax_column_count: true,
      max_record_size: MAX_RECORD_BYTES,
      skip_empty_lines: false,
      info: true,
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (!c.row(info.lines, record)) break;
    }
  } catch (error) {
    const e = error as { lines?: number; index?: number; message: string; code?: string };
    c.problem(
      { row: e.lines ?? null, column: typeof e.index === 'number' ? columnLetter(e.index) : 'A' },
      {
        code: 'unreadable_csv',
        params: { error: e.code ?? 'parse error', detail: withoutCellValue(e.message.split('.')[0]) },
      },
    );
  } finally {
    parser.destroy();
  }
}

async function readXlsx(file: Buffer, c: Collector): Promise<void> {
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      entries: 'emit',
    });
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1).map(cellText);
        if (!c.row(row.number, values)) break;
      }
      break; // one sheet: the first
    }
  } catch (error) {
    c.problem(
      { row: 1, column: 'A' },
      { code: 'unreadable_xlsx', params: { detail: (error as Error).message.slice(0, 200) } },
    );
  }
}

/** Every problem by row and column, and the answers of the rows (only usable when there are no problems). */
export async function parseSurveyFile(file: Buffer, q: Questionnaire): Promise<ParsedImport> {
  const c = new Collector(q);
  if (file.length > 0) await (isXlsx(file) ? readXlsx(file, c) : readCsv(file, c));
  return c.finish();
}
