import type { Actor } from '../../contracts/kernel/case';
import type { ImportedFrom } from '../../contracts/kernel/imported';

/**
 * What the import engine asks of a process (api/<p>s/import.ts): its sheet and columns (the
 * template), how a row is checked by the API's own schemas and the process's rules, and how an
 * accepted row opens its case through the process's service. The engine knows no process.
 */

/** One column of a process's sheet, as the template documents it. */
export interface Column {
  name: string;
  required: boolean;
  description: string;
  example: string;
  /** A date: YYYY-MM-DD, or as the mapping's date format says. */
  date?: boolean;
}

/** A field of a row and why it was refused, named by its column. */
export interface Problem {
  field: string;
  reason: string;
  /** Which of a case's rows (0 the first), when a case has several; none: every row of it. */
  row?: number;
}

/** A row's cells by column name, as read (dates as YYYY-MM-DD, every value a trimmed string). */
export type Cells = Record<string, string>;

export interface CheckContext {
  isActiveProvider(code: string): Promise<boolean>;
}

export type Checked<P> = { ok: true; sourceId: string; value: P } | { ok: false; sourceId?: string; problems: Problem[] };

/** Opens an accepted row's case, keyed by its source id: a second call answers the case the first opened. */
export type OpenRow = (start: { from: ImportedFrom; actFrom: string }, actor: Actor) => Promise<{ reference: string; replayed: boolean }>;

export interface Importer {
  process: string;
  /** The sheet (or CSV file name) the process's rows are read from. */
  sheet: string;
  columns: Column[];
  /** Rows with the same value in this column are one case (an action plan's actions); none: a row is a case. */
  groupBy?: string;
  /** The case's rows checked (one, unless grouped); accepted, how to open its case (nothing is written until that is called). */
  check(rows: Cells[], ctx: CheckContext): Promise<Checked<OpenRow>>;
}

/** zod's issues as problems, each path named by the column it came from. */
export function problemsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[], columnOf: (path: string) => string): Problem[] {
  // An empty cell reads as absent: zod's "expected string, received undefined" says it plainly.
  return issues.map((i) => ({ field: columnOf(i.path.map(String).join('.')), reason: /received undefined$/.test(i.message) ? 'is required, and the cell is empty' : i.message }));
}

/** A yes/no cell: yes, y, true, 1 and no, n, false, 0 (any case); anything else is left for zod to refuse. */
export function flag(value: string | undefined): boolean | string | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (['yes', 'y', 'true', '1'].includes(v)) return true;
  if (['no', 'n', 'false', '0'].includes(v)) return false;
  return value;
}

/** A whole-number cell, or the text itself for zod to refuse. */
export function whole(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : value;
}
