// Writing report tables as files the way Swedish Excel expects them.
import { DISCLOSURE_LABELS, REPORT_LABELS as L } from '@app/domain';
import type { Cell, Column, Table } from './report-tables';
import { xlsxFile, type XlsxCell, type XlsxSheet, type XlsxStyle } from './xlsx-file';

export interface ExportMeta {
  scopeName: string;
  periodCode: string;
  periodStart: string;
  periodEnd: string;
  asOf: string | null;
  /** k when disclosure control is applied, null for exact figures. */
  disclosureThreshold: number | null;
  generatedAt: Date;
}

/** A row's kind decides the number format of "number" columns (the comparison table mixes counts and shares). */
function formatOf(column: Column, row: Record<string, Cell>): XlsxStyle | undefined {
  if (column.kind === 'share') return 'percent';
  if (column.kind === 'count') return 'integer';
  if (column.kind === 'number') return row.kind === 'share' ? 'percent' : 'decimal';
  return undefined;
}

/** A sheet made outside the report tables (e.g. the indicator surveys), written after them as given. */
export interface ExtraSheet {
  name: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

/**
 * The report as an XLSX workbook: a cover sheet (scope, period, data as of, disclosure control), then one sheet
 * per table with its heading row frozen, numbers as numbers in Swedish Excel's formats, masked figures right-aligned.
 */
export function writeXlsx(tables: Table[], meta: ExportMeta, extraSheets: ExtraSheet[] = []): Buffer {
  const text = (value: string | null): XlsxCell => ({ value });
  const cover: XlsxSheet = {
    name: 'Om rapporten',
    columnWidths: [24, 90],
    rows: [
      [{ value: L.cover.title, style: 'title' }],
      [],
      [text(L.cover.scope), text(meta.scopeName)],
      [text(L.cover.period), text(`${meta.periodCode} (${meta.periodStart} – ${meta.periodEnd})`)],
      [text(L.cover.asOf), text(meta.asOf ?? '–')],
      [
        text(L.cover.disclosure),
        text(
          meta.disclosureThreshold === null
            ? L.cover.disclosureOff
            : DISCLOSURE_LABELS.applied(meta.disclosureThreshold),
        ),
      ],
      [text(L.cover.generated), text(meta.generatedAt.toISOString())],
    ],
  };
  const sheets = [...tables, ...extraSheets].map((table): XlsxSheet => ({
    name: 'id' in table ? L.sheets[table.id] : table.name,
    freezeFirstRow: true,
    columnWidths: table.columns.map((c) =>
      c.kind === 'text' ? 36 : Math.max(12, Math.min(28, c.label.length + 2)),
    ),
    rows: [
      table.columns.map((c) => ({ value: c.label, style: 'heading' as const })),
      ...table.rows.map((row) =>
        table.columns.map((c): XlsxCell => {
          const value = row[c.key] ?? null;
          if (typeof value === 'number') return { value, style: formatOf(c, row) };
          // A masked or missing figure ("<3", "–") in a number column lines up with the numbers.
          if (typeof value === 'string' && c.kind !== 'text') return { value, style: 'right' };
          return { value };
        }),
      ),
    ],
  }));
  return xlsxFile([cover, ...sheets], { creator: 'Uppföljning', created: meta.generatedAt });
}

/** Decimal comma, no thousands separator: what Swedish Excel reads as a number. */
function csvNumber(value: number): string {
  return String(Math.round(value * 1e6) / 1e6).replace('.', ',');
}

/**
 * OWASP CSV injection: a text cell starting with = + - @ (or tab/carriage return) would be read as a formula
 * by a spreadsheet; a leading apostrophe makes it plain text. Numbers are written as numbers, untouched.
 */
export function neutraliseCsvText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvField(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? csvNumber(value) : neutraliseCsvText(value);
  return /[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with BOM, ";" between fields: each table under its title, a blank line between tables. Shares as fractions. */
export function writeCsv(tables: Table[], meta: ExportMeta): Buffer {
  const lines: string[] = [
    csvField(`${L.cover.scope}: ${meta.scopeName}`),
    csvField(`${L.cover.period}: ${meta.periodCode} (${meta.periodStart} – ${meta.periodEnd})`),
    csvField(
      `${L.cover.disclosure}: ${meta.disclosureThreshold === null ? L.cover.disclosureOff : DISCLOSURE_LABELS.applied(meta.disclosureThreshold)}`,
    ),
    '',
  ];
  for (const table of tables) {
    lines.push(csvField(table.title));
    lines.push(table.columns.map((c) => csvField(c.label)).join(';'));
    for (const row of table.rows)
      lines.push(table.columns.map((c) => csvField(row[c.key] ?? null)).join(';'));
    lines.push('');
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'), 'utf8')]);
}
