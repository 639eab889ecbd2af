import { Router, type Request, type Response } from 'express';
import { ROUTING } from '../../api/auth/routes';
import { HttpError } from '../../api/errors';
import { actorOf } from '../../api/kernel/request';
import { sendReport, sendTemplate } from '../../api/import/router';
import { runIdParams, type ImportRunView } from '../../api/import/schemas';
import { IMPORT_SHEETS } from '../../api/importers';
import { checkFormFields, requireAccess } from '../session';
import type { Web } from '../web';
import datixComplaints from '../../docs/import/datix-complaints.mapping.json';

/** Where an imported case's page is, by the sheet it came from (each sheet is named after its process's pages). */
const pageOf = (sheet: string, reference?: string) => (reference && IMPORT_SHEETS.some((s) => s.sheet === sheet) ? `/${sheet}/${reference}` : undefined);

/** The worked examples docs/import.md explains, offered on the page by name. */
const MAPPINGS: Record<string, unknown> = { 'datix-complaints.mapping.json': datixComplaints };

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
      await index(req, res, problems.map((d) => ({ text: d.field.startsWith('body.mapping') ? `Mapping: ${d.field.slice('body.mapping.'.length) || 'file'} ${d.reason}` : d.reason, href: anchorOf(d.field) })));
    }
  });
  // The worked examples of docs/import (no personal data: a source system's headings and words).
  router.get('/mappings/:name', requireAccess(web.guard, { method: 'GET', route: '/api/imports/template' }), async (req, res) => {
    const name = String(req.params.name);
    if (!Object.hasOwn(MAPPINGS, name)) throw new HttpError(404, 'not_found', 'no such mapping');
    res.attachment(name).type('application/json').send(JSON.stringify(MAPPINGS[name], null, 2));
  });
  router.get('/template.xlsx', requireAccess(web.guard, { method: 'GET', route: '/api/imports/template' }), async (_req, res) => sendTemplate(res));
  router.get('/:id', requireAccess(web.guard, { method: 'GET', route: '/api/imports/:id' }), async (req, res) => {
    const run = await runs.view(idOf(req));
    web.render(req, res, 'imports/run.njk', { title: `Import of ${run.file}`, back: { href: '/imports', text: 'Import cases' }, ...runPage(run) });
  });
  router.get('/:id/report.csv', requireAccess(web.guard, { method: 'GET', route: '/api/imports/:id/report.csv' }), async (req, res) => sendReport(runs, idOf(req), res));
  return router;
}

/** Where a problem's field is on the form. */
function anchorOf(field: string): string {
  if (field === 'body.mode') return '#import-mode';
  return field.startsWith('body.mapping') ? '#import-mapping' : '#import-file';
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
