// A small writer of XLSX workbooks (Office Open XML, ECMA-376): shared strings, a handful of styles, column widths
// and a frozen heading row, which is all the report exports use. exceljs built the same workbooks at 25-30 ms of
// CPU each (a general document model, zipped by JSZip in small chunks); this writes them in a few ms, which
// matters with exports among the most frequent calls of an evaluator. exceljs still reads workbooks (imports)
// and checks these in the tests.
import { deflateRawSync } from 'node:zlib';

/** How a cell looks: the cover's title, a heading, a number format, or text aligned right as numbers are. */
export type XlsxStyle = 'title' | 'heading' | 'percent' | 'integer' | 'decimal' | 'right';

export interface XlsxCell {
  value: string | number | null;
  style?: XlsxStyle;
}

export interface XlsxSheet {
  name: string;
  /** Width of each column, in characters. */
  columnWidths: number[];
  rows: XlsxCell[][];
  /** Keeps the first row in view while scrolling. */
  freezeFirstRow?: boolean;
}

export interface XlsxProperties {
  creator: string;
  created: Date;
}

// Index of each style in styles.xml's cellXfs (0 is the default).
const STYLE_INDEX: Record<XlsxStyle, number> = {
  title: 1,
  heading: 2,
  percent: 3,
  integer: 4,
  decimal: 5,
  right: 6,
};

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const STYLES =
  `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="0.0"/></numFmts>' +
  '<fonts count="3">' +
  '<font><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>' +
  '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>' +
  '</fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="7">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">' +
  '<alignment vertical="top" wrapText="1"/></xf>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="right"/></xf>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

/** The workbook as the bytes of an .xlsx file. Throws on a sheet name Excel would refuse. */
export function xlsxFile(sheets: readonly XlsxSheet[], properties: XlsxProperties): Buffer {
  const names = sheetNames(sheets);
  const strings = new SharedStrings();
  const sheetXml = sheets.map((sheet) => worksheetXml(sheet, strings));
  const n = sheets.length;
  const files: [string, string][] = [
    [
      '[Content_Types].xml',
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        sheets
          .map(
            (_, i) =>
              `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
          )
          .join('') +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
        '</Types>',
    ],
    [
      '_rels/.rels',
      `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
        `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
        '</Relationships>',
    ],
    [
      'docProps/core.xml',
      `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        `<dc:creator>${escapeXml(properties.creator)}</dc:creator>` +
        `<dcterms:created xsi:type="dcterms:W3CDTF">${w3cdtf(properties.created)}</dcterms:created>` +
        `<dcterms:modified xsi:type="dcterms:W3CDTF">${w3cdtf(properties.created)}</dcterms:modified>` +
        '</cp:coreProperties>',
    ],
    [
      'xl/workbook.xml',
      `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets>` +
        names
          .map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
          .join('') +
        '</sheets></workbook>',
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
        sheets
          .map(
            (_, i) =>
              `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
          )
          .join('') +
        `<Relationship Id="rId${n + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>` +
        `<Relationship Id="rId${n + 2}" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>` +
        '</Relationships>',
    ],
    ['xl/styles.xml', STYLES],
    ['xl/sharedStrings.xml', strings.xml()],
    ...sheetXml.map((xml, i): [string, string] => [`xl/worksheets/sheet${i + 1}.xml`, xml]),
  ];
  return zip(
    files.map(([name, text]) => ({ name, data: Buffer.from(text, 'utf8') })),
    properties.created,
  );
}

/** The names as Excel takes them: at most 31 characters, none of * ? : \ / [ ], unique ignoring case. */
function sheetNames(sheets: readonly XlsxSheet[]): string[] {
  const seen = new Set<string>();
  return sheets.map(({ name: given }) => {
    if (given === '') throw new Error("A sheet's name cannot be empty");
    if (/[*?:/\\[\]]/.test(given) || /(^')|('$)/.test(given))
      throw new Error(`The sheet name ${given} has a character Excel does not allow there`);
    const name = given.slice(0, 31);
    if (seen.has(name.toLowerCase())) throw new Error(`Two sheets are named ${name}`);
    seen.add(name.toLowerCase());
    return name;
  });
}

function worksheetXml(sheet: XlsxSheet, strings: SharedStrings): string {
  const parts: string[] = [`${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetViews>`];
  parts.push(
    sheet.freezeFirstRow
      ? '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
          '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
      : '<sheetView workbookViewId="0"/>',
  );
  parts.push('</sheetViews><sheetFormatPr defaultRowHeight="15"/>');
  if (sheet.columnWidths.length > 0) {
    parts.push('<cols>');
    sheet.columnWidths.forEach((width, i) =>
      parts.push(`<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"/>`),
    );
    parts.push('</cols>');
  }
  parts.push('<sheetData>');
  sheet.rows.forEach((row, r) => {
    parts.push(`<row r="${r + 1}">`);
    row.forEach((cell, c) => {
      const { value } = cell;
      if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return;
      const ref = `${columnName(c)}${r + 1}`;
      const style = cell.style ? ` s="${STYLE_INDEX[cell.style]}"` : '';
      parts.push(
        typeof value === 'number'
          ? `<c r="${ref}"${style}><v>${value}</v></c>`
          : `<c r="${ref}"${style} t="s"><v>${strings.index(value)}</v></c>`,
      );
    });
    parts.push('</row>');
  });
  parts.push('</sheetData></worksheet>');
  return parts.join('');
}

/** A, B, …, Z, AA, AB, …: the column of a 0-based index. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Every text once, cells refer to it by index (what Excel itself writes). */
class SharedStrings {
  private readonly indexes = new Map<string, number>();
  private count = 0;

  index(text: string): number {
    this.count += 1;
    let i = this.indexes.get(text);
    if (i === undefined) {
      i = this.indexes.size;
      this.indexes.set(text, i);
    }
    return i;
  }

  xml(): string {
    const items = [...this.indexes.keys()].map(
      (text) => `<si><t xml:space="preserve">${escapeXml(text)}</t></si>`,
    );
    return `${XML_HEAD}<sst xmlns="${MAIN_NS}" count="${this.count}" uniqueCount="${this.indexes.size}">${items.join('')}</sst>`;
  }
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

// Characters XML 1.0 cannot hold (tab, line feed and carriage return it can).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text as XML content: markup characters escaped, control characters XML 1.0 cannot hold left out. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

/** 2025-01-02T03:04:05Z: the date form of the core properties. */
function w3cdtf(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface ZipEntry {
  name: string;
  data: Buffer;
}

/**
 * A ZIP archive (PKWARE APPNOTE 6.3) of the files, each deflated at the fastest level (a few per cent larger than
 * the best, for much less CPU), all with the given modification time.
 */
export function zip(entries: readonly ZipEntry[], modified: Date): Buffer {
  const time =
    (modified.getUTCHours() << 11) | (modified.getUTCMinutes() << 5) | (modified.getUTCSeconds() >> 1);
  const date =
    ((Math.max(1980, modified.getUTCFullYear()) - 1980) << 9) |
    ((modified.getUTCMonth() + 1) << 5) |
    modified.getUTCDate();
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const deflated = deflateRawSync(entry.data, { level: 1 });
    const crc = crc32(entry.data);
    // The local header and the central directory's record share these fields, from "version needed" to the
    // name's length (the record has "made by" before them).
    const fields = {
      time,
      date,
      crc,
      compressed: deflated.length,
      size: entry.data.length,
      nameLength: name.length,
    };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0); // local file header
    writeEntryFields(header, 4, fields);
    local.push(header, name, deflated);

    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0); // central directory header
    record.writeUInt16LE(20, 4); // made by: 2.0
    writeEntryFields(record, 6, fields);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += header.length + name.length + deflated.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, ...central, end]);
}

function writeEntryFields(
  buffer: Buffer,
  at: number,
  f: { time: number; date: number; crc: number; compressed: number; size: number; nameLength: number },
): void {
  buffer.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
  buffer.writeUInt16LE(0x0800, at + 2); // names in UTF-8
  buffer.writeUInt16LE(8, at + 4); // deflate
  buffer.writeUInt16LE(f.time, at + 6);
  buffer.writeUInt16LE(f.date, at + 8);
  buffer.writeUInt32LE(f.crc, at + 10);
  buffer.writeUInt32LE(f.compressed, at + 14);
  buffer.writeUInt32LE(f.size, at + 18);
  buffer.writeUInt16LE(f.nameLength, at + 22);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309), as ZIP stores it for each file. */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
