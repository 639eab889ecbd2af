import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { KO41A_LISTS } from '../../models/ko41a';
import { NOT_CODED, type Ko41aReturn } from './ko41a';

/**
 * The KO41a return as files: a CSV (one row a figure) and a workbook laid out as the national
 * collection's form is, section by section (1 organisation, 2 summary, 3 age of patient, 4 status
 * of complainant, 5 service area, 7 subject area, 8 profession; section 6, the clinical treatment
 * sub-categories, is not kept yet), each item with its label as the form prints it and its figure,
 * for the return to be keyed or uploaded from. What still needs coding is on a sheet of its own.
 */

export const KO41A_CSV_COLUMNS = ['section', 'item', 'label', 'value'] as const;

type Row = [section: string, item: string, label: string, value: string | number];

const labels = (field: keyof typeof KO41A_LISTS) => Object.fromEntries(KO41A_LISTS[field].map((c) => [c.slug, c.label]));

/** Every figure of the return as a row, in the form's order. */
export function ko41aRows(r: Ko41aReturn): Row[] {
  const coded = (section: string, field: keyof typeof KO41A_LISTS, counts: Record<string, number>): Row[] => {
    const words = labels(field);
    return Object.entries(counts)
      .filter(([slug, n]) => slug !== NOT_CODED || n > 0)
      .map(([slug, n]) => [section, slug, words[slug] ?? 'Not coded yet', n]);
  };
  const s = r.summary;
  return [
    ['1 Organisation', 'code', 'Organisation code', r.organisation.code ?? ''],
    ['1 Organisation', 'name', 'Organisation name', r.organisation.name ?? ''],
    ['1 Organisation', 'period', 'Reporting period', `${r.period} (${r.from} to ${r.to})`],
    ['2 Summary', 'brought_forward', 'Total brought forward', s.broughtForward],
    ['2 Summary', 'new', 'Total new complaints', s.received],
    ['2 Summary', 'upheld', 'Number upheld', s.resolved.upheld],
    ['2 Summary', 'partly_upheld', 'Number partially upheld', s.resolved.partlyUpheld],
    ['2 Summary', 'not_upheld', 'Number not upheld', s.resolved.notUpheld],
    ['2 Summary', 'resolved', 'Total resolved', s.resolved.total],
    ['2 Summary', 'closed_without_outcome', 'Closed without an outcome (withdrawn, not investigated, not considered): not a KO41a line', s.closedWithoutOutcome],
    ['2 Summary', 'carried_forward', 'Total carried forward', s.carriedForward],
    ...coded('3 Age of patient', 'ageBand', r.age),
    ...coded('4 Status of complainant', 'complainantStatus', r.complainantStatus),
    ...coded('5 Service area', 'serviceArea', r.serviceArea),
    ...coded('7 Subject area', 'subject', r.subject),
    ...coded('8 Profession', 'profession', r.profession),
  ];
}

/** Text a spreadsheet would take for a formula is prefixed with an apostrophe (an organisation's name is typed). */
const inert = (v: string | number) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export function ko41aCsv(r: Ko41aReturn): string {
  return stringify(ko41aRows(r).map((row) => row.map(inert)), { header: true, columns: [...KO41A_CSV_COLUMNS], record_delimiter: 'windows' });
}

/** The workbook: the form's sections on one sheet, the outcomes of each aspect and what to check on two more. */
export async function ko41aWorkbook(r: Ko41aReturn): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Oversight';
  const form = book.addWorksheet('KO41a');
  form.columns = [
    { header: 'Section', key: 'section', width: 26 },
    { header: 'Item', key: 'item', width: 36 },
    { header: 'Label', key: 'label', width: 70 },
    { header: 'Value', key: 'value', width: 14 },
  ];
  form.getRow(1).font = { bold: true };
  let previous = '';
  for (const [section, item, label, value] of ko41aRows(r)) {
    // A heading row before each section, as the form sets them apart.
    if (section !== previous) form.addRow({ section }).font = { bold: true };
    previous = section;
    form.addRow({ section, item, label, value });
  }
  const outcomes = book.addWorksheet('Outcomes by subject');
  outcomes.addRow(['Subject', 'Upheld', 'Partially upheld', 'Not upheld', 'Not recorded']).font = { bold: true };
  const subjects = labels('subject');
  for (const [slug, n] of Object.entries(r.outcomesBySubject)) outcomes.addRow([subjects[slug] ?? slug, n.upheld, n.partly_upheld, n.not_upheld, n.not_recorded]);
  const checks = book.addWorksheet('Checks');
  checks.addRow(['Before upload']).font = { bold: true };
  for (const check of r.checks) checks.addRow([check]);
  for (const reference of r.uncoded) checks.addRow([`${reference}: no aspect coded`]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
