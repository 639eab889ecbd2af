import type { Request, Response, Router } from 'express';
import { guardedRouter } from '../auth/routes';
import { actorOf } from '../kernel/request';
import { validate } from '../validate';
import { IMPORT_SHEETS } from '../importers';
import type { ImportRuns } from './runs';
import { listImportsQuery, reportCsv, runIdParams } from './schemas';
import { templateWorkbook } from './template';

export const TEMPLATE_FILE = 'oversight-import.xlsx';

/** The template workbook, as `npm run import -- --template` writes it. */
export async function sendTemplate(res: Response): Promise<void> {
  const bytes = await templateWorkbook(IMPORT_SHEETS).xlsx.writeBuffer();
  res.attachment(TEMPLATE_FILE).type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(Buffer.from(bytes));
}

/** A run's kept report as CSV, named after its file. */
export async function sendReport(runs: ImportRuns, id: string, res: Response): Promise<void> {
  const run = await runs.view(id);
  res.attachment(`import-report-${run.file.replace(/\.[^.]+$/, '')}.csv`).type('text/csv; charset=utf-8').send(reportCsv(run));
}

/**
 * /api/imports: the import (api/import/engine.ts) run from the API by an administrator. A file
 * posted is kept and run in the background (202, its record at Location); the record says how it
 * goes, and a run whose API process died is taken over as its record is read (./runs.ts).
 */
export function importsRouter(runs: ImportRuns): Router {
  const router = guardedRouter('/api/imports');
  router.get('/template', async (_req, res) => sendTemplate(res));
  router.get('/', validate({ query: listImportsQuery }), async (req: Request, res: Response) => {
    res.json({ items: await runs.list((req.query as unknown as { limit: number }).limit) });
  });
  router.post('/', async (req: Request, res: Response) => {
    const run = await runs.start(req, actorOf(req));
    res.status(202).location(`/api/imports/${encodeURIComponent(run.id)}`).json(run);
  });
  router.get('/:id', validate({ params: runIdParams }), async (req: Request, res: Response) => {
    res.json(await runs.view(req.params.id as string));
  });
  router.get('/:id/report.csv', validate({ params: runIdParams }), async (req: Request, res: Response) => sendReport(runs, req.params.id as string, res));
  return router;
}
