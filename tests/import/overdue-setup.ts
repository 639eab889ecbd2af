import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { createServices } from '../../api/services';
import { createReferenceData } from '../../api/reference-data';
import { TemporalCalls } from '../../api/temporal';
import { importFile } from '../../api/imports';
import { IMPORT_SHEETS } from '../../api/importers';
import { seedReferenceData } from '../../models/seed';
import type { Harness } from '../helpers/harness';

/** A case's outbox rows (deadline:kind:audience) counted by deadline and kind. */
export const count = (rows: string[]) =>
  rows.reduce<Record<string, number>>((m, r) => {
    const key = r.split(':').slice(0, -1).join(':');
    return { ...m, [key]: (m[key] ?? 0) + 1 };
  }, {});

/**
 * What the overdue-import tests share: the reference data, the API's services on the harness's
 * servers, and `imported(sheet, rows)`: a CSV of the template's columns written and imported for real.
 */
export async function importSetup(h: Harness) {
  await seedReferenceData(h.db);
  const services = createServices({ models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, referenceData: createReferenceData(h.models), calls: new TemporalCalls(h.env.client) });
  const dir = await mkdtemp(path.join(tmpdir(), 'oversight-import-overdue-'));
  return async (sheet: string, rows: Record<string, string>[]) => {
    const header = IMPORT_SHEETS.find((s) => s.sheet === sheet)!.columns.map((c) => c.name);
    const file = path.join(dir, `${sheet}.csv`);
    await writeFile(file, stringify([header, ...rows.map((cells) => header.map((c) => cells[c] ?? ''))]));
    return importFile({ services, models: h.models }, { file, dryRun: false });
  };
}
