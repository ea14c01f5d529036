import ExcelJS from 'exceljs';
import {
  decodeText,
  detectDelimiter,
  estimateRows,
  isXlsx,
  readRows,
  UnreadableFileError,
} from './import-file';

async function all(bytes: Uint8Array): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const r of readRows(bytes)) rows.push(r);
  return rows;
}

describe('reading an import file', () => {
  it('decodes UTF-8 (dropping a BOM) and falls back to Windows-1252', () => {
    expect(decodeText(Buffer.from('\uFEFFKön;Kvinna', 'utf8'))).toEqual({
      text: 'Kön;Kvinna',
      encoding: 'utf-8',
    });
    // 0xF6 is ö in Windows-1252 and invalid on its own in UTF-8; 0x96 is an en dash there.
    expect(decodeText(Buffer.from([0x4b, 0xf6, 0x6e, 0x20, 0x96]))).toEqual({
      text: 'Kön –',
      encoding: 'windows-1252',
    });
  });

  it('detects the separator of the header line, ignoring quoted text', () => {
    expect(detectDelimiter('a;b;c\n1,2;3')).toBe(';');
    expect(detectDelimiter('a,b,c\n1;2')).toBe(',');
    expect(detectDelimiter('"a;b",c,d\n')).toBe(',');
    expect(detectDelimiter('single')).toBe(';');
  });

  it('reads CSV rows with quotes and skips empty lines', async () => {
    const rows = await all(Buffer.from('Deltagarkod;Insats\r\n"A;1";"Unga ""A"""\r\n\r\nB;X\r\n', 'utf8'));
    expect(rows).toEqual([
      ['Deltagarkod', 'Insats'],
      ['A;1', 'Unga "A"'],
      ['B', 'X'],
    ]);
  });

  it('reads the first worksheet of an XLSX, dates as YYYY-MM-DD', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Blad1');
    sheet.addRow(['Deltagarkod', 'Startdatum', 'Ålder']);
    sheet.addRow(['A-1', new Date(Date.UTC(2024, 2, 5)), 23]);
    book.addWorksheet('Blad2').addRow(['not read']);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    expect(isXlsx(bytes)).toBe(true);
    expect(await all(bytes)).toEqual([
      ['Deltagarkod', 'Startdatum', 'Ålder'],
      ['A-1', '2024-03-05', '23'],
    ]);
  });

  it('estimates the rows of a CSV from its line breaks, for progress', () => {
    expect(estimateRows(Buffer.from('h1;h2\r\na;b\r\nc;d\r\n'))).toBe(2);
    expect(estimateRows(Buffer.from('h1;h2\na;b'))).toBe(1);
    expect(estimateRows(Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toBeNull();
  });

  it('refuses binary data and broken workbooks with a clear message', async () => {
    await expect(all(Buffer.from([0x00, 0x01, 0x02, 0x41]))).rejects.toThrow(UnreadableFileError);
    await expect(all(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).rejects.toThrow(
      /not a readable XLSX/,
    );
  });

  it('fails an unreadable CSV with a code, without the cell the reader stopped at', async () => {
    const error = await all(Buffer.from('Deltagarkod;Kommun\nA;19850412-1234"x\n')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableFileError);
    const { failure } = error as UnreadableFileError;
    expect(failure).toMatchObject({
      code: 'unreadable_csv',
      message: expect.stringMatching(/Invalid Opening Quote/),
    });
    expect(JSON.stringify(failure)).not.toContain('1234');
  });
});
