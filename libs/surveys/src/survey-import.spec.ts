import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Questionnaire } from './questionnaire';
import { columnLetter, parseSurveyFile } from './survey-import';

const Q: Questionnaire = {
  id: 'nns-staff-2021',
  respondentGroup: 'staff',
  title: 'Personal',
  validFrom: 2021,
  scales: {
    extent: [
      { code: '1', label: 'Inte alls', polarity: 'negative' },
      { code: '3', label: 'Delvis', polarity: 'neutral' },
      { code: '4', label: 'Till stor del', polarity: 'positive' },
      { code: '5', label: 'Helt och hållet', polarity: 'clearly_positive' },
      { code: '0', label: 'Vet ej / ej aktuellt', polarity: 'excluded' },
    ],
  },
  questions: [
    { id: 'time-needed', text: 'Får stödet ta den tid som behövs?', scale: 'extent' },
    { id: 'listen', text: 'Lyssnar de på dig?', scale: 'extent' },
  ],
};

const csv = (text: string) => parseSurveyFile(Buffer.from(text, 'utf8'), Q);

describe('parseSurveyFile', () => {
  it('reads question ids or texts as headers, codes or labels as values, blanks as unanswered', async () => {
    const parsed = await csv(
      '\uFEFFtime-needed;Lyssnar de på dig?\r\n5;Delvis\r\n;1\r\nvet ej / ej aktuellt;\r\n',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows).toEqual([
      { 'time-needed': '5', listen: '3' },
      { listen: '1' },
      { 'time-needed': '0' },
    ]);
  });

  it('skips blank lines and reads comma-separated files', async () => {
    const parsed = await csv('time-needed,listen\n4,4\n\n,,\n1,0\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows).toHaveLength(2);
  });

  it('names the row and column of an unknown question', async () => {
    const parsed = await csv('time-needed;mystery\n5;5\n');
    expect(parsed.problems).toEqual([
      {
        row: 1,
        column: 'B',
        header: 'mystery',
        code: 'unknown_question',
        params: { questionnaire: 'nns-staff-2021' },
        message: 'is not a question of nns-staff-2021 (neither its id nor its text)',
      },
    ]);
  });

  it('names the row and column of a value outside the scale (every one)', async () => {
    const parsed = await csv('time-needed;listen\n5;7\n6;5\n');
    expect(parsed.problems.map((p) => [p.row, p.column, p.header])).toEqual([
      [2, 'B', 'listen'],
      [3, 'A', 'time-needed'],
    ]);
    const scale =
      '1 (Inte alls), 3 (Delvis), 4 (Till stor del), 5 (Helt och hållet), 0 (Vet ej / ej aktuellt)';
    expect(parsed.problems[0]).toMatchObject({
      code: 'not_on_scale',
      params: { value: '7', scale },
      message: `"7" is not on the scale: ${scale}`,
    });
  });

  it('never echoes an answer that looks like a personal number', async () => {
    const parsed = await csv('time-needed;listen\n5;19850312-1234\n');
    expect(parsed.problems).toEqual([
      expect.objectContaining({ row: 2, column: 'B', code: 'personal_number', params: {} }),
    ]);
    expect(JSON.stringify(parsed.problems)).not.toContain('1234');
  });

  it('names the row and the first extra column of a row with too many columns', async () => {
    const parsed = await csv('time-needed;listen\n5;5;4\n');
    expect(parsed.problems).toEqual([
      {
        row: 2,
        column: 'C',
        code: 'too_many_columns',
        params: { columns: 3, headerRow: 1, width: 2 },
        message: 'has 3 columns; the header (row 1) has 2',
      },
    ]);
  });

  it('rejects an empty file and a header without answers', async () => {
    expect((await csv('')).problems).toEqual([
      {
        row: 1,
        column: 'A',
        code: 'empty_file',
        params: {},
        message: 'the file is empty: it needs a header row and one row per respondent',
      },
    ]);
    expect((await csv('\n\n')).problems[0]).toMatchObject({ row: 1, column: 'A' });
    expect((await csv('time-needed;listen\n')).problems).toEqual([
      {
        row: 2,
        column: 'A',
        code: 'no_answers',
        params: {},
        message: 'the file has a header but no answers',
      },
    ]);
  });

  it('rejects a repeated question column and an empty header', async () => {
    const parsed = await csv('time-needed;;Får stödet ta den tid som behövs?\n5;;5\n');
    expect(parsed.problems.map((p) => [p.row, p.column, p.code, p.params])).toEqual([
      [1, 'B', 'no_header', {}],
      [1, 'C', 'duplicate_question', { question: 'time-needed', column: 'A' }],
    ]);
  });

  it('rejects 10 MB of random bytes with a row and column, quickly', async () => {
    const garbage = randomBytes(10 * 1024 * 1024);
    const parsed = await parseSurveyFile(garbage, Q);
    expect(parsed.problems.length).toBeGreaterThan(0);
    for (const p of parsed.problems) {
      expect(typeof p.row).toBe('number');
      expect(p.column).toMatch(/^[A-Z]+$/);
    }
  });

  it('names an unreadable CSV without echoing the cell it stopped at', async () => {
    const parsed = await csv('time-needed;listen\n5;19850412-1234"x\n');
    expect(parsed.problems).toEqual([
      expect.objectContaining({
        row: 2,
        code: 'unreadable_csv',
        params: expect.objectContaining({ error: 'INVALID_OPENING_QUOTE' }),
      }),
    ]);
    expect(JSON.stringify(parsed.problems)).not.toContain('1234');
  });

  it('rejects a file that starts like a zip but is not a workbook', async () => {
    const parsed = await parseSurveyFile(Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(2000)]), Q);
    expect(parsed.problems).toEqual([expect.objectContaining({ row: 1, column: 'A' })]);
    expect(parsed.problems[0]).toMatchObject({
      code: 'unreadable_xlsx',
      message: expect.stringMatching(/^is not a readable XLSX workbook/),
    });
  });

  it('reads the first sheet of an XLSX workbook with numbers and texts', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Svar');
    sheet.addRow(['time-needed', 'Lyssnar de på dig?']);
    sheet.addRow([5, 'Till stor del']);
    sheet.addRow([1, null]);
    sheet.addRow([9, 4]);
    const parsed = await parseSurveyFile(Buffer.from(await book.xlsx.writeBuffer()), Q);
    expect(parsed.rows.slice(0, 2)).toEqual([{ 'time-needed': '5', listen: '4' }, { 'time-needed': '1' }]);
    expect(parsed.problems).toEqual([
      expect.objectContaining({ row: 4, column: 'A', header: 'time-needed' }),
    ]);
  });

  it('letters columns as spreadsheets do', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});
