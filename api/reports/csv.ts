import { stringify } from 'csv-stringify/sync';
import type { ComplaintsReport } from './complaints';

export const CSV_COLUMNS = ['section', 'item', 'value', 'closedOn', 'outcome', 'lessonsLearned'] as const;

/**
 * Text a spreadsheet would take for a formula (=, +, -, @, or a tab or carriage return first)
 * is prefixed with an apostrophe: the lessons are typed by staff, and a CSV is opened in Excel.
 */
export const inert = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/**
 * The report as one CSV table, a row per figure (`section`, `item`, `value`) and a row per
 * closure with its lessons; quoting is csv-stringify's.
 */
export function complaintsReportCsv(r: ComplaintsReport): string {
  const rows: (string | number)[][] = [
    ['period', 'from', r.from],
    ['period', 'to', r.to],
    ['received', 'total', r.received.total],
    ...Object.entries(r.received.bySource).map(([k, n]) => ['received.bySource', k, n]),
    ...Object.entries(r.received.bySubject).map(([k, n]) => ['received.bySubject', k, n]),
    ['resolvedInformally', 'total', r.resolvedInformally],
    ['wellFounded', 'total', r.wellFounded.total],
    ['wellFounded', 'upheld', r.wellFounded.upheld],
    ['wellFounded', 'partlyUpheld', r.wellFounded.partlyUpheld],
    ['notUpheld', 'total', r.notUpheld],
    ['withdrawn', 'total', r.withdrawn],
    ['referredToOmbudsman', 'total', r.referredToOmbudsman],
    ['transferred', 'total', r.transferred],
    ...Object.entries(r.themes.bySubject).map(([k, n]) => ['themes.bySubject', k, n]),
    ...Object.entries(r.themes.byServiceArea).map(([k, n]) => ['themes.byServiceArea', k, n]),
    ...r.lessons.map((l) => ['lessons', l.reference, '', l.closedOn, l.outcome, inert(l.lessonsLearned)]),
  ];
  // Every row as wide as the header: a rectangular table for any reader.
  const padded = rows.map((row) => [...row, ...Array(CSV_COLUMNS.length - row.length).fill('')]);
  return stringify(padded, { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows' });
}
