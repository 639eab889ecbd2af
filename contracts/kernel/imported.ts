import type { IsoDate, IsoInstant } from './case';

/**
 * A case brought over from the system a team used before (npm run import): where its row was, and
 * nothing else of it. The file and row let anyone find the source; no personal detail travels in
 * a workflow input (the row's names and words go to the records only).
 */
export interface ImportedFrom {
  file: string;
  sheet: string;
  /** The row's number in its sheet, as a spreadsheet shows it (the heading is row 1). */
  row: number;
  /** The case's id in the source system: the import's key, so a rerun opens nothing twice. */
  sourceId: string;
}

/**
 * What an imported case's workflow starts from: the row's place, the dates of the state the row
 * says (each process's own shape), and the moment its clocks may first act. Deadlines are planned
 * from the row's dates by the usual rules; whatever is already past acts once at `actFrom` (the
 * working morning after the import), never as a flood of old reminders.
 */
export interface ImportedStart<D> {
  from: ImportedFrom;
  actFrom: IsoInstant;
  at: D;
}

/** The timeline's first entry of an imported case: where it came from, then what the process adds. */
export function importedEntryData(from: ImportedFrom, data: Record<string, unknown>): Record<string, unknown> {
  return { importedFrom: { ...from }, ...data };
}

/** The timeline entry type that opens an imported case, for every process. */
export const IMPORTED = 'imported';

export type { IsoDate };
