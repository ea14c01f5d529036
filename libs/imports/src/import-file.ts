// Reading an uploaded file as rows of text cells: CSV (';' or ',', UTF-8 with or without BOM, or
// Windows-1252 as older Excel writes it) or XLSX (first worksheet, streamed). Pure: no Nest, no database.
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { withoutCellValue } from '@app/domain';
import { importFailure, type ImportFailure } from './import-problems';

/** A file the import cannot read at all: the import fails with this reason. */
export class UnreadableFileError extends Error {
  constructor(readonly failure: ImportFailure) {
    super(failure.message);
  }
}

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
// A cell or a line longer than this is not a spreadsheet row: stop before it costs memory.
const MAX_RECORD_BYTES = 64 * 1024;

export function isXlsx(bytes: Uint8Array): boolean {
  return ZIP_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Data rows of a CSV as far as line breaks tell (for progress before the file is read); null for XLSX. */
export function estimateRows(bytes: Uint8Array): number | null {
  if (isXlsx(bytes)) return null;
  let lines = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) lines++;
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) lines++;
  return Math.max(0, lines - 1);
}

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), otherwise Windows-1252. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // iconv-lite rather than TextDecoder: Node's 'windows-1252' decoder is Latin-1 for 0x80–0x9F, where
    // Excel writes the en dash, the euro sign and curly quotes.
    return { text: iconv.decode(Buffer.from(bytes), 'windows-1252'), encoding: 'windows-1252' };
  }
}

/** The separator of the header line: Swedish Excel writes ';', most other tools ','. */
export function detectDelimiter(text: string): ';' | ',' {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  return semicolons >= commas && semicolons > 0 ? ';' : commas > 0 ? ',' : ';';
}

function assertText(text: string): void {
  // Control characters other than tab and line breaks do not occur in a CSV a person exported.
  const sample = text.slice(0, 64 * 1024);
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const binary = /[\u0000-\u0008\u000e-\u001f]/.test(sample);
  if (binary) {
    throw new UnreadableFileError(importFailure({ code: 'binary_file', params: {} }));
  }
}

async function* csvRows(bytes: Uint8Array): AsyncGenerator<string[]> {
  const { text } = decodeText(bytes);
  assertText(text);
  const parser = Readable.from([text]).pipe(
    parse({
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  try {
    for await (const record of parser) yield record as string[];
  } catch (error) {
    throw new UnreadableFileError(
      importFailure({
        code: 'unreadable_csv',
        params: { detail: withoutCellValue((error as Error).message) },
      }),
    );
  }
}

function isoDate(d: Date): string {
  // Excel stores dates without a time zone; ExcelJS gives them as UTC midnight.
  return d.toISOString().slice(0, 10);
}

export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return isoDate(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

async function* xlsxRows(bytes: Uint8Array): AsyncGenerator<string[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row as ExcelJS.Row).values as ExcelJS.CellValue[];
        // ExcelJS rows are 1-based: index 0 is always empty. Empty rows are skipped as in CSV.
        const cells = values.slice(1).map(cellText);
        if (cells.some((c) => c.trim() !== '')) yield cells;
      }
      return; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(
      importFailure({ code: 'unreadable_xlsx', params: { detail: (error as Error).message } }),
    );
  }
}

/** Rows of the file, header first; each row's cells as text, in column order. */
export function readRows(bytes: Uint8Array): AsyncGenerator<string[]> {
  return isXlsx(bytes) ? xlsxRows(bytes) : csvRows(bytes);
}
