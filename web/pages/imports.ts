import { Router, type Request, type Response } from 'express';
import { ROUTING } from '../../api/auth/routes';
import { HttpError } from '../../api/errors';
import { actorOf } from '../../api/kernel/request';
import { sendReport, sendTemplate } from '../../api/import/router';
import { runIdParams, type ImportRunView } from '../../api/import/schemas';
import { IMPORT_SHEETS } from '../../api/importers';
import { checkFormFields, requireAccess } from '../session';
import type { Web } from '../web';

/** Where an imported case's page is, by the sheet it came from (each sheet is named after its process's pages). */
const pageOf = (sheet: string, reference?: string) => (reference && IMPORT_SHEETS.some((s) => s.sheet === sheet) ? `/${sheet}/${reference}` : undefined);

/** A run page lists this many rows; the CSV has them all. */
const ROWS_SHOWN = 500;

/**
 * The administrator's import (docs/import.md): the template to download, a file to check (a dry
 * run) or import, and each run's page, which refreshes itself while the run goes on (no script)
 * and then shows every row and the report to download. Each page stands for its /api/imports
 * route and runs through the same service (api/import/runs.ts), so a run begun here survives the
 * API process stopping.
 */
export function importPages(web: Web): Router {
  const runs = web.services.imports;
  const router = Router(ROUTING);
  const index = async (req: Request, res: Response, errors?: { text: string; href: string }[]) =>
    web.render(req, res, 'imports/index.njk', { title: 'Import cases', runs: await runs.list(10), sheets: IMPORT_SHEETS.map((s) => s.sheet), errors }, errors ? 400 : 200);

  router.get('/', requireAccess(web.guard, { method: 'GET', route: '/api/imports' }), (req, res) => index(req, res));
  router.post('/', requireAccess(web.guard, { method: 'POST', route: '/api/imports', multipart: true }), async (req, res) => {
    try {
      const run = await runs.start(req, actorOf(req), (fields) => checkFormFields(req, fields));
      res.redirect(303, `/imports/${encodeURIComponent(run.id)}`);
    } catch (err) {
      // The form again, saying what was wrong with the file or the choice (a stale form is the error page's).
      if (!(err instanceof HttpError) || ![400, 413, 415].includes(err.status)) throw err;
      const problems = err.details ?? [{ field: 'body.file', reason: err.message }];
      await index(req, res, problems.map((d) => ({ text: d.reason, href: d.field === 'body.mode' ? '#import-mode' : '#import-file' })));
    }
  });
  router.get('/template.xlsx', requireAccess(web.guard, { method: 'GET', route: '/api/imports/template' }), async (_req, res) => sendTemplate(res));
  router.get('/:id', requireAccess(web.guard, { method: 'GET', route: '/api/imports/:id' }), async (req, res) => {
    const run = await runs.view(idOf(req));
    web.render(req, res, 'imports/run.njk', { title: `Import of ${run.file}`, back: { href: '/imports', text: 'Import cases' }, ...runPage(run) });
  });
  router.get('/:id/report.csv', requireAccess(web.guard, { method: 'GET', route: '/api/imports/:id/report.csv' }), async (req, res) => sendReport(runs, idOf(req), res));
  return router;
}

function idOf(req: Request): string {
  const parsed = runIdParams.safeParse(req.params);
  if (!parsed.success) throw new HttpError(404, 'not_found', 'no such import run');
  return parsed.data.id;
}

/** What the run's page shows: how far it is, then its counts and rows, each imported case linked. */
function runPage(run: ImportRunView) {
  const { done, total } = run.progress;
  const rows = run.rows ?? [];
  return {
    run,
    running: run.status === 'running',
    percent: total ? Math.floor((100 * done) / total) : 0,
    rows: rows.slice(0, ROWS_SHOWN).map((r) => ({ ...r, href: pageOf(r.sheet, r.reference) })),
    more: Math.max(0, rows.length - ROWS_SHOWN),
    report: `/imports/${encodeURIComponent(run.id)}/report.csv`,
  };
}
