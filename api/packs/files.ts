import { stringify } from 'csv-stringify/sync';
import type { Content, TDocumentDefinitions } from 'pdfmake';
import { pdfmake } from '../letters/pdf';
import type { Pack } from './service';
import { packSections, type Table } from './tables';

export const PACK_CSV_COLUMNS = ['section', 'table', 'row', 'column', 'value'] as const;

/** Text a spreadsheet would take for a formula is prefixed with an apostrophe (an action's description is typed by staff). */
const inert = (text: string | number) => (typeof text === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/** Every table of the pack as one long CSV table: a row per cell, named by section, table, row and column. */
export function packCsv(p: Pack): string {
  const rows: (string | number)[][] = [
    ['pack', 'meeting', 'provider', '', p.providerCode],
    ['pack', 'meeting', 'meetingOn', '', p.meetingOn],
    ['pack', 'meeting', 'lastMeetingOn', '', p.lastMeetingOn ?? ''],
    ['pack', 'meeting', 'sinceLastMeeting', 'from', p.since.from],
    ['pack', 'meeting', 'last12Months', 'from', p.year.from],
  ];
  for (const section of packSections(p))
    for (const table of [...section.charts.map((c) => c.table), ...section.tables])
      for (const row of table.rows)
        table.columns.slice(1).forEach((col, i) => rows.push([section.id, table.id, inert(row[0].value), col.label, inert(row[i + 1]?.value ?? '')]));
  return stringify(rows, { header: true, columns: [...PACK_CSV_COLUMNS], record_delimiter: 'windows' });
}

function pdfTable(table: Table): Content[] {
  const header = table.columns.map((c) => ({ text: c.label, bold: true, alignment: c.numeric ? ('right' as const) : ('left' as const) }));
  const body = table.rows.map((row) => row.map((cell, i) => ({ text: cell.text, alignment: table.columns[i]?.numeric ? ('right' as const) : ('left' as const) })));
  return [
    { text: table.caption, bold: true, margin: [0, 6, 0, 4] },
    body.length
      ? { table: { headerRows: 1, dontBreakRows: true, widths: table.columns.map((_, i) => (i === 0 ? '*' : 'auto')), body: [header, ...body] }, layout: 'lightHorizontalLines', fontSize: 9, margin: [0, 0, 0, 10] }
      : { text: table.empty, italics: true, margin: [0, 0, 0, 10] },
  ];
}

/** The pack for the meeting papers: A4, each section with its charts (the same SVG as the page) and tables. */
export async function packPdf(p: Pack, providerName: string | null): Promise<Buffer> {
  const content: Content[] = [
    { text: `CQRG pack: ${providerName ?? p.providerCode} (${p.providerCode})`, fontSize: 18, bold: true, margin: [0, 0, 0, 4] },
    { text: `Meeting on ${p.meetingOn}. Since the last meeting: ${p.since.from} to ${p.since.to}; last 12 months: ${p.year.from} to ${p.year.to}. Produced ${p.today}.`, margin: [0, 0, 0, 10] },
  ];
  for (const section of packSections(p)) {
    content.push({ text: section.heading, fontSize: 14, bold: true, margin: [0, 10, 0, 4] });
    for (const note of section.notes) content.push({ text: note, fontSize: 9, margin: [0, 0, 0, 4] });
    for (const c of section.charts) content.push({ svg: c.svg, width: 480, margin: [0, 4, 0, 4] }, ...pdfTable(c.table));
    for (const table of section.tables) content.push(...pdfTable(table));
  }
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [50, 50, 50, 50],
    info: { title: `CQRG pack ${p.providerCode} ${p.meetingOn}`, creator: 'Oversight', producer: 'Oversight' },
    language: 'en-GB',
    displayTitle: true,
    tagged: true,
    content,
    defaultStyle: { font: 'Roboto', fontSize: 10 },
  };
  return pdfmake.createPdf(definition).getBuffer();
}
