import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCsv, readSheets } from '../../api/import/read';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { mappedRows, mappingFile } from '../../api/import/mapping';
import { progressLine } from '../../scripts/import';
import { COMPLAINT_COLUMNS } from '../../api/complaints/import';
import datix from '../../docs/import/datix-complaints.mapping.json';

/** The import's reading, without a server: CSV, a source's mapping, the progress line. */

test('CSV: quoted commas, doubled quotes, line breaks in a field, CRLF and a byte-order mark', () => {
  expect(parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n1,,3')).toEqual([
    ['a', 'b', 'c'],
    ['x, y', 'say "hi"', 'two\nlines'],
    ['1', '', '3'],
  ]);
});

test('CSV: UTF-8 is read as it is; bytes that are not (Excel\'s plain CSV, Windows-1252) refuse the file, never read as U+FFFD', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'import-read-'));
  const file = (name: string, bytes: Buffer) => (writeFileSync(path.join(dir, name), bytes), path.join(dir, name));
  const utf8 = await readSheets(file('complaints.csv', Buffer.from('\uFEFFsourceId,name\r\nDX-1,Zoë Ní Bhriain ✓\r\n')));
  expect(utf8.get('complaints')).toEqual([{ row: 2, cells: { sourceId: 'DX-1', name: 'Zoë Ní Bhriain ✓' } }]);
  // Before, the names came through as 'Zo\uFFFD' and were imported so.
  await expect(readSheets(file('reviews.csv', Buffer.from('sourceId,name\r\nDX-2,Zo\xeb N\xed\r\n', 'latin1')))).rejects.toThrow(/not UTF-8.*CSV UTF-8/);
});

test("the worked example's Datix mapping reads a Datix row as the template's: headings, words and day-first dates", () => {
  const mapping = mappingFile.parse(datix);
  const sheets = new Map([['Complaints', [{ row: 2, cells: { Ref: 'DX-1', 'Date received': '2/11/2026', 'Received from': 'Relative', 'Method of receipt': 'Fax', Description: '3/4/2026 was the day', Handler: 'Jo' } }]]]);
  expect(mappedRows(sheets, 'complaints', COMPLAINT_COLUMNS, mapping)).toEqual([
    // A date column is converted; the same shape in a text column is left as written; an unmapped word is kept for the schema to refuse.
    { row: 2, cells: { sourceId: 'DX-1', receivedOn: '2026-11-02', source: 'complainant', method: 'Fax', summary: '3/4/2026 was the day', Handler: 'Jo' } },
  ]);
  expect(mappedRows(sheets, 'reviews', [], mapping)).toBeUndefined();
});

test('a mapping that is not one is refused, naming where', () => {
  const bad = mappingFile.safeParse({ source: 'Datix', dateFormat: 'MM/DD/YYYY', sheets: {} });
  expect(bad.success).toBe(false);
  expect(bad.error!.issues[0].path).toEqual(['dateFormat']);
});

test('the progress line: a bar, rows per second and the time left', () => {
  expect(progressLine(250, 1000, 5000)).toBe(`[${'#'.repeat(8)}${'.'.repeat(22)}] 250/1000 rows  50.0 rows/s  15s left`);
});

describe('a workbook is refused before it is unpacked past the bound', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'import-bomb-'));
  const file = (name: string, bytes: Buffer) => (writeFileSync(path.join(dir, name), bytes), path.join(dir, name));

  /** A real workbook of `rows` complaints with distinct summaries: about 110 bytes of XML each. */
  async function workbook(rows: number): Promise<Buffer> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('complaints');
    sheet.addRow(['sourceId', 'summary']);
    for (let i = 0; i < rows; i++) sheet.addRow([`DX-${i}`, `Summary ${i} ${'x'.repeat(60)}`]);
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  test('a workbook within the bound reads; the same past a bound is refused, nothing read', async () => {
    const path20k = file('complaints.xlsx', await workbook(20_000));
    expect((await readSheets(path20k)).get('complaints')).toHaveLength(20_000);
    await expect(readSheets(path20k, { unpackedBytes: 1_000_000 })).rejects.toThrow(/unpacks to more than 1 MB.*nothing was imported/);
    // 20,000 rows of two cells and the heading row's two: counted across the stream's chunks, exactly.
    await expect(readSheets(path20k, { cells: 40_001 })).rejects.toThrow(/holds more than 40,001 cells/);
    expect((await readSheets(path20k, { cells: 40_002 })).get('complaints')).toHaveLength(20_000);
  });

  test('sizes the zip declares are not believed: a part that says it is 100 bytes is counted as it unpacks', async () => {
    const zip = new JSZip();
    zip.file('xl/worksheets/sheet1.xml', 'a'.repeat(3_000_000));
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    // The part's uncompressed size, in its local header (offset 22) and the central directory's (offset 24), made to lie.
    bytes.writeUInt32LE(100, 22);
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(100, central + 24);
    await expect(readSheets(file('lying.xlsx', bytes), { unpackedBytes: 1_000_000 })).rejects.toThrow(/unpacks to more than 1 MB/);
    // Within the bound, the lie is found at the part's end: refused as unreadable, in these words.
    await expect(readSheets(file('lying.xlsx', bytes))).rejects.toThrow(/not an Excel workbook.*that can be read.*nothing was imported/);
  });

  test('a file that is no zip at all is refused as no workbook', async () => {
    await expect(readSheets(file('plain.xlsx', Buffer.from('sourceId,summary\nDX-1,x\n')))).rejects.toThrow(/not an Excel workbook/);
  });
});
