import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createReferenceData } from '../api/reference-data';
import { createServices } from '../api/services';
import { TemporalCalls } from '../api/temporal';
import { importFile } from '../api/imports';
import { IMPORT_SHEETS } from '../api/importers';
import { readMapping } from '../api/import/mapping';
import { writeTemplate } from '../api/import/template';
import type { ImportReport } from '../api/import/engine';
import { loadConfig, resolveConfig } from '../lib/config';
import { createDataConverter } from '../lib/payload-codec';
import { createModels, ensureIndexes } from '../models';
import { connectDatabase } from '../models/connection';

const USAGE = `npm run import -- <file.xlsx|file.csv> [--dry-run] [--mapping <mapping.json>] [--report <report.json>]
npm run import -- --template <dir>`;

/** A progress line: a bar, rows done, rows per second and the time left. */
export function progressLine(done: number, total: number, elapsedMs: number): string {
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const left = rate > 0 ? Math.ceil((total - done) / rate) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} rows  ${rate.toFixed(1)} rows/s  ${left}s left`;
}

function summary(report: ImportReport): string {
  const c = report.counts;
  const lines = [
    `${report.dryRun ? 'dry run' : 'import'} of ${report.file}: ${c.rows} rows; ${report.dryRun ? `${c.accepted} accepted` : `${c.imported} imported, ${c.already_imported} imported before`}, ${c.refused} refused`,
    ...report.sheets.flatMap((s) => [
      ...(s.unknown ? [`  sheet "${s.sheet}": no process reads it (${s.rows} rows ignored)`] : []),
      ...(s.ignoredColumns.length ? [`  sheet "${s.sheet}": columns not in the template, ignored: ${s.ignoredColumns.join(', ')}`] : []),
    ]),
    ...report.rows.filter((r) => r.outcome === 'refused').map((r) => `  ${r.sheet} row ${r.row}${r.sourceId ? ` (${r.sourceId})` : ''}: ${r.problems!.map((p) => `${p.field}: ${p.reason}`).join('; ')}`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const k = args.indexOf(name);
    return k >= 0 ? args.splice(k, 2)[1] : undefined;
  };
  const template = option('--template');
  const mappingFile = option('--mapping');
  const reportFile = option('--report');
  const dryRun = args.includes('--dry-run');
  const [file] = args.filter((a) => a !== '--dry-run');
  if (template) {
    const files = await writeTemplate(template, IMPORT_SHEETS);
    console.log(`template written: ${files.join(', ')}`);
    return;
  }
  if (!file) throw new Error(USAGE);
  const config = resolveConfig(loadConfig());
  const mapping = mappingFile ? await readMapping(mappingFile) : undefined;
  const db = await connectDatabase(config.MONGODB_URI);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const models = createModels(db);
    await ensureIndexes(models);
    const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: createDataConverter(config) });
    const calls = new TemporalCalls(temporal, { timeoutMs: config.TEMPORAL_TIMEOUT_MS, liveBudgetMs: config.LIVE_STATE_BUDGET_MS });
    const services = createServices({ models, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, referenceData: createReferenceData(models), calls });
    const started = Date.now();
    const tty = process.stderr.isTTY;
    let last = 0;
    const report = await importFile(
      { services, models },
      {
        file,
        dryRun,
        mapping,
        onProgress: ({ done, total }) => {
          const now = Date.now();
          if (done < total && now - last < 200) return;
          last = now;
          const line = progressLine(done, total, now - started);
          process.stderr.write(tty ? `\r${line}` : `${line}\n`);
        },
      },
    );
    if (tty) process.stderr.write('\n');
    const out = reportFile ?? `import-report-${report.runId.replace(/[:.]/g, '-')}.json`;
    await writeFile(out, JSON.stringify(report, null, 2));
    console.log(summary(report));
    console.log(`report: ${path.resolve(out)} (kept as import run ${report.runId})`);
    if (report.counts.refused) process.exitCode = 2;
  } finally {
    await connection.close();
    await db.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
