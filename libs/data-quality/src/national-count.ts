// Försäkringskassan's national count ("Uppföljning Finsam"): the layout of the form, as data and as files.
import ExcelJS from 'exceljs';
import {
  GENDER_PLURAL_LABELS,
  GENDERS,
  NATIONAL_COUNT_LABELS as L,
  REPORT_LABELS,
  type GenderCounts,
} from '@app/domain';

export interface NationalCountLine {
  participants: GenderCounts;
  newParticipants: GenderCounts;
}

export interface NationalCount {
  association: { id: string; name: string };
  year: number;
  /** When the oldest of the stored results used was computed (null: counted from the rows now). */
  asOf: string | null;
  /** False while a recompute of one of the insatser for the year is pending. */
  fresh: boolean;
  interventions: ({ id: string; name: string } & NationalCountLine)[];
  total: NationalCountLine;
}

const KEYS = [...GENDERS, 'total'] as const;

export function sumLines(lines: NationalCountLine[]): NationalCountLine {
  const zero = (): GenderCounts => ({ woman: 0, man: 0, unspecified: 0, total: 0 });
  const total = { participants: zero(), newParticipants: zero() };
  for (const line of lines) {
    for (const k of KEYS) {
      total.participants[k] += line.participants[k];
      total.newParticipants[k] += line.newParticipants[k];
    }
  }
  return total;
}

function headings(): string[] {
  const genderLabel = (k: (typeof KEYS)[number]) =>
    k === 'total' ? REPORT_LABELS.total : GENDER_PLURAL_LABELS[k];
  return [
    L.intervention,
    ...KEYS.map((k) => `${L.participants} – ${genderLabel(k)}`),
    ...KEYS.map((k) => `${L.newParticipants} – ${genderLabel(k)}`),
  ];
}

function rows(count: NationalCount): (string | number)[][] {
  const line = (name: string, l: NationalCountLine) => [
    name,
    ...KEYS.map((k) => l.participants[k]),
    ...KEYS.map((k) => l.newParticipants[k]),
  ];
  return [...count.interventions.map((i) => line(i.name, i)), line(L.total, count.total)];
}

/** A spreadsheet program must not read a name as a formula. */
function neutralise(cell: string | number): string | number {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** CSV as Swedish Excel opens it: UTF-8 with BOM, ';' between fields. */
export function nationalCountCsv(count: NationalCount): Buffer {
  const field = (v: string | number) => {
    const s = String(neutralise(v));
    return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [
    [L.association, count.association.name],
    [L.year, count.year],
    [],
    headings(),
    ...rows(count),
  ].map((r) => r.map(field).join(';'));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}

export async function nationalCountXlsx(count: NationalCount): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Uppföljning';
  const sheet = book.addWorksheet(L.sheet);
  sheet.columns = [{ width: 40 }, ...Array.from({ length: 8 }, () => ({ width: 14 }))];
  sheet.addRow([L.title]).font = { bold: true, size: 14 };
  sheet.addRow([L.association, count.association.name]);
  sheet.addRow([L.year, count.year]);
  sheet.addRow([L.asOf, count.asOf ?? '–']);
  sheet.addRow([]);
  // Two heading rows as on the form: the measure over its four gender columns.
  const group = sheet.addRow([L.intervention, L.participants, '', '', '', L.newParticipants, '', '', '']);
  group.font = { bold: true };
  sheet.mergeCells(group.number, 2, group.number, 5);
  sheet.mergeCells(group.number, 6, group.number, 9);
  const genders = KEYS.map((k) => (k === 'total' ? REPORT_LABELS.total : GENDER_PLURAL_LABELS[k]));
  const sub = sheet.addRow(['', ...genders, ...genders]);
  sub.font = { bold: true };
  for (const r of rows(count)) sheet.addRow(r.map(neutralise));
  sheet.lastRow!.font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
