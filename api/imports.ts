import { londonDate, nextWorkingDay, workingHoursInstant } from '../lib/calendar';
import type { Actor } from '../contracts/kernel/case';
import type { Models } from '../models';
import { runImport, type ImportReport } from './import/engine';
import type { Mapping } from './import/mapping';
import { importers, type ImportServices } from './importers';

/** Who an imported case's opening entry names: the import itself, run by an administrator. */
export const IMPORT_ACTOR: Actor = { id: 'import', name: 'Import', role: 'administrator' };

export interface ImportFileOptions {
  file: string;
  dryRun: boolean;
  mapping?: Mapping;
  actor?: Actor;
  /** A run begun on the page: its record, made as it began (api/import/runs.ts). */
  runId?: string;
  onProgress?(p: { done: number; total: number }): void;
  beforeSave?(): Promise<void>;
}

/**
 * Import a file through the app's services (api/import/engine.ts): rows checked by the API's
 * schemas, accepted ones opened (unless a dry run), the report kept in `import_runs`. Whatever is
 * already past acts at 09:00 on the working day after today, once: an import in the afternoon
 * raises no storm of escalations while it runs.
 */
export async function importFile(deps: { services: ImportServices; models: Models }, opts: ImportFileOptions): Promise<ImportReport> {
  const closures = await deps.services.referenceData.closureDates();
  const actFrom = workingHoursInstant(nextWorkingDay(londonDate(Date.now()), closures));
  return runImport({
    file: opts.file,
    importers: importers(deps.services),
    dryRun: opts.dryRun,
    mapping: opts.mapping,
    ctx: { isActiveProvider: (code) => deps.services.referenceData.isActiveProvider(code) },
    actor: opts.actor ?? IMPORT_ACTOR,
    runId: opts.runId,
    actFrom,
    models: deps.models,
    onProgress: opts.onProgress,
    beforeSave: opts.beforeSave,
  });
}
