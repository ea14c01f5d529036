import { csvField, neutraliseCsvText, writeCsv } from './report-export';
import type { Table } from './report-tables';

describe('CSV injection (OWASP)', () => {
  it.each(['=SUM(A1:A9)', '+46701234567', '-2+3', '@cmd', '\t=1', '\r=1', '=HYPERLINK("http://x")'])(
    'neutralises a text cell starting with a formula character: %p',
    (text) => {
      const field = csvField(text);
      expect(field.replace(/^"/, '')).toMatch(/^'/);
      expect(neutraliseCsvText(text)).toBe(`'${text}`);
    },
  );

  it('leaves ordinary text and numbers (also negative ones) alone', () => {
    expect(csvField('Haninge')).toBe('Haninge');
    expect(csvField('<3')).toBe('<3');
    expect(csvField(-1.5)).toBe('-1,5');
    expect(csvField(0)).toBe('0');
  });

  it('neutralises scope names and cells in the written file', () => {
    const table = {
      id: 'results',
      title: '=titel',
      columns: [
        { key: 'label', label: '@rubrik', kind: 'text' },
        { key: 'n', label: 'Antal', kind: 'count' },
      ],
      rows: [{ label: '=1+1', n: -2 }],
    } as unknown as Table;
    const csv = writeCsv([table], {
      scopeName: '+Förbund',
      periodCode: '2024',
      periodStart: '2024-01-01',
      periodEnd: '2024-12-31',
      asOf: null,
      disclosureThreshold: null,
      generatedAt: new Date(),
    })
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const cells = csv.split(/\r\n/).flatMap((line) => line.split(';'));
    for (const cell of cells) expect(cell).not.toMatch(/^"?[=+@]/);
    expect(cells).toEqual(expect.arrayContaining(["'=titel", "'@rubrik", "'=1+1", '-2']));
  });
});
