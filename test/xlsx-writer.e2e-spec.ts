import ExcelJS from 'exceljs';
import path from 'node:path';
import { writeXlsx, type ExportMeta } from '../libs/reporting/src/report-export';
import type { Table } from '../libs/reporting/src/report-tables';
import { XlsxWriter } from '../libs/reporting/src/xlsx-writer';
import { buildApp } from './helpers/processes';

/**
 * The XLSX thread runs the compiled worker script, as the built API does (`npm run build`); the tests of the
 * exports run from TypeScript and build in-process. Here the real thread writes the same workbooks.
 */
describe('XLSX in a worker thread', () => {
  let build: ReturnType<typeof buildApp>;
  let writer: XlsxWriter;
  const savedNodePath = process.env.NODE_PATH;

  beforeAll(() => {
    build = buildApp();
    // The build lives outside the repository: the thread resolves packages from the repository's node_modules.
    process.env.NODE_PATH = path.resolve(__dirname, '../node_modules');
    writer = new XlsxWriter(path.join(build.dir, 'libs/reporting/src/xlsx.worker.js'));
  }, 120_000);
  afterAll(async () => {
    await writer.onModuleDestroy();
    process.env.NODE_PATH = savedNodePath;
    build.remove();
  });

  const meta: ExportMeta = {
    scopeName: 'Samordningsförbundet Test',
    periodCode: '2024',
    periodStart: '2024-01-01',
    periodEnd: '2024-12-31',
    asOf: '2025-01-02T03:04:05.000Z',
    disclosureThreshold: 3,
    generatedAt: new Date('2025-01-02T03:04:05.000Z'),
  };
  const table = (n: number): Table => ({
    id: 'results',
    title: 'Resultat i siffror',
    columns: [
      { key: 'label', label: 'Mått', kind: 'text' },
      { key: 'women', label: 'Kvinnor', kind: 'count' },
      { key: 'share', label: 'Andel', kind: 'share' },
    ],
    rows: Array.from({ length: n }, (_, i) => ({
      label: `Rad ${i}`,
      women: i,
      share: i % 3 ? i / 100 : '<3',
    })),
  });
  const cells = async (file: Buffer) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as unknown as ArrayBuffer);
    return book.worksheets.map((sheet) => ({
      name: sheet.name,
      rows: sheet.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1) : row)),
      formats: sheet.getColumn(3).values.map((_, i) => sheet.getCell(i, 3).numFmt ?? null),
    }));
  };

  it('writes the workbook the in-process writer writes, every sheet and cell', async () => {
    const tables = [table(40)];
    const extra = [{ name: 'Enkäter', columns: table(2).columns, rows: table(2).rows }];
    const fromThread = await writer.write(tables, meta, extra);
    expect(fromThread.subarray(0, 2).toString()).toBe('PK'); // a zip file
    expect(await cells(fromThread)).toEqual(await cells(await writeXlsx(tables, meta, extra)));
  });

  it('answers each of many writes at once with its own workbook', async () => {
    const sizes = [1, 7, 30, 3, 12, 0];
    const files = await Promise.all(sizes.map((n) => writer.write([table(n)], meta)));
    for (const [i, file] of files.entries()) {
      const [, results] = await cells(file);
      expect(results.rows.length).toBe(sizes[i] + 2); // a leading empty slot, the heading, the rows
    }
  });

  it('rejects a workbook it cannot build and goes on serving the next', async () => {
    const broken = [{ ...table(1), columns: null }] as unknown as Table[];
    await expect(writer.write(broken, meta)).rejects.toThrow();
    const file = await writer.write([table(2)], meta);
    expect((await cells(file))[1].rows.length).toBe(4);
  });

  it('fails what a thread held when the thread dies, and starts a new one for the next write', async () => {
    const pending = writer.write([table(500)], meta);
    await (writer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(pending).rejects.toThrow(/XLSX thread stopped/);
    const file = await writer.write([table(2)], meta);
    expect((await cells(file))[1].rows.length).toBe(4);
  });
});
