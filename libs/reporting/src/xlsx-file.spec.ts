import ExcelJS from 'exceljs';
import { inflateRawSync } from 'node:zlib';
import { columnName, crc32, escapeXml, xlsxFile, zip, type XlsxSheet } from './xlsx-file';

const created = new Date('2025-01-02T03:04:06.000Z');

async function read(file: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as unknown as ArrayBuffer);
  return book;
}

describe('xlsxFile', () => {
  const sheets: XlsxSheet[] = [
    {
      name: 'Om rapporten',
      columnWidths: [24, 90],
      rows: [[{ value: 'Rubrik', style: 'title' }], [], [{ value: 'Period' }, { value: '2024 & <Q1>' }]],
    },
    {
      name: 'Resultat',
      freezeFirstRow: true,
      columnWidths: [36, 12, 14, 12],
      rows: [
        [
          { value: 'Mått', style: 'heading' },
          { value: 'Antal', style: 'heading' },
          { value: 'Andel', style: 'heading' },
          { value: 'Dagar', style: 'heading' },
        ],
        [
          { value: 'Kvinnor' },
          { value: 12, style: 'integer' },
          { value: 0.25, style: 'percent' },
          { value: 41.5, style: 'decimal' },
        ],
        [{ value: 'Män' }, { value: '<3', style: 'right' }, { value: null }, { value: 7 }],
        [{ value: 'Kvinnor' }, { value: 0, style: 'integer' }, { value: Number.NaN }, { value: -1.25 }],
      ],
    },
  ];

  it('writes what exceljs reads back: sheets, values, formats, fonts, alignment, widths, frozen heading', async () => {
    const book = await read(xlsxFile(sheets, { creator: 'Uppföljning', created }));
    expect(book.creator).toBe('Uppföljning');
    expect(book.created.toISOString()).toBe(created.toISOString());
    expect(book.worksheets.map((s) => s.name)).toEqual(['Om rapporten', 'Resultat']);

    const cover = book.getWorksheet('Om rapporten')!;
    expect(cover.getCell('A1').value).toBe('Rubrik');
    expect(cover.getCell('A1').font).toMatchObject({ bold: true, size: 14 });
    expect(cover.getCell('B3').value).toBe('2024 & <Q1>');
    expect(cover.getRow(2).cellCount).toBe(0);
    expect(cover.getColumn(1).width).toBe(24);
    expect(cover.getColumn(2).width).toBe(90);
    expect(cover.views[0]?.state ?? 'normal').toBe('normal');

    const results = book.getWorksheet('Resultat')!;
    expect(results.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(results.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1) : row))).toEqual([
      undefined,
      ['Mått', 'Antal', 'Andel', 'Dagar'],
      ['Kvinnor', 12, 0.25, 41.5],
      ['Män', '<3', undefined, 7],
      ['Kvinnor', 0, undefined, -1.25],
    ]);
    expect(results.getCell('A1').font).toMatchObject({ bold: true });
    expect(results.getCell('A1').alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect(results.getCell('B2').numFmt).toBe('0');
    expect(results.getCell('C2').numFmt).toBe('0.0%');
    expect(results.getCell('D2').numFmt).toBe('0.0');
    expect(results.getCell('D3').numFmt).toBeUndefined();
    expect(results.getCell('B3').alignment).toMatchObject({ horizontal: 'right' });
    expect(results.getColumn(3).width).toBe(14);
  });

  it('takes a sheet name of more than 31 characters as Excel does, its first 31', async () => {
    const long = 'Ett mycket långt namn på ett blad i en arbetsbok';
    const book = await read(
      xlsxFile([{ name: long, columnWidths: [], rows: [[{ value: 1 }]] }], { creator: 'x', created }),
    );
    expect(book.worksheets[0].name).toBe(long.slice(0, 31));
  });

  it.each([
    ['', 'empty'],
    ['Q1/Q2', 'a slash'],
    ['[Blad]', 'brackets'],
    ["'Blad'", 'quotes at the ends'],
  ])('refuses the sheet name %j (%s)', (name) => {
    expect(() => xlsxFile([{ name, columnWidths: [], rows: [] }], { creator: 'x', created })).toThrow(
      /sheet/,
    );
  });

  it('refuses two sheets of the same name, whatever their case', () => {
    const sheet = (name: string): XlsxSheet => ({ name, columnWidths: [], rows: [] });
    expect(() => xlsxFile([sheet('Resultat'), sheet('RESULTAT')], { creator: 'x', created })).toThrow(
      /Two sheets/,
    );
  });

  it('keeps text with control characters readable (XML 1.0 cannot hold them)', async () => {
    const book = await read(
      xlsxFile([{ name: 'Blad', columnWidths: [], rows: [[{ value: 'a\u0001b\tc\nd' }]] }], {
        creator: 'x',
        created,
      }),
    );
    expect(book.worksheets[0].getCell('A1').value).toBe('ab\tc\nd');
  });
});

describe('the parts of an XLSX file', () => {
  it('names columns A…Z, AA…ZZ, AAA', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });

  it('computes CRC-32 as ZIP does (the check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('escapes markup and drops control characters', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>\u0000\u001f`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
  });

  it('zips files so that each reads back whole, listed in a central directory', () => {
    const files = [
      { name: 'a.txt', data: Buffer.from('hej hej hej') },
      { name: 'dir/b.xml', data: Buffer.from('<x/>'.repeat(1000)) },
    ];
    const archive = zip(files, created);
    const end = archive.length - 22;
    expect(archive.readUInt32LE(end)).toBe(0x06054b50);
    expect(archive.readUInt16LE(end + 10)).toBe(2);
    let offset = archive.readUInt32LE(end + 16);
    for (const file of files) {
      expect(archive.readUInt32LE(offset)).toBe(0x02014b50);
      const nameLength = archive.readUInt16LE(offset + 28);
      expect(archive.subarray(offset + 46, offset + 46 + nameLength).toString()).toBe(file.name);
      const local = archive.readUInt32LE(offset + 42);
      const size = archive.readUInt32LE(local + 18);
      const start = local + 30 + archive.readUInt16LE(local + 26);
      const data = inflateRawSync(archive.subarray(start, start + size));
      expect(data.equals(file.data)).toBe(true);
      expect(archive.readUInt32LE(local + 14)).toBe(crc32(file.data));
      offset += 46 + nameLength;
    }
  });
});
