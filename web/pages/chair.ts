import { Router } from 'express';
import { ROUTING } from '../../api/auth/routes';
import { ACTION_PLAN_EVENTS } from '../../api/action-plans/events';
import { createActionPlanBody, listActionPlansQuery, listActionsQuery } from '../../api/action-plans/schemas';
import { HttpError } from '../../api/errors';
import { RAGS, THEMES, type ActionPlanState } from '../../workflows/action-plan/definitions';
import { ACTION_PLAN_WORDS } from '../../workflows/action-plan/vocabulary';
import { casePages, type CasePages } from '../cases';
import type { Web } from '../web';
import { may, principalOf, requireAccess } from '../session';

const ODS = /^[A-Z0-9]{3,5}$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** How many past meetings the chair's chart shows. */
const MEETINGS_CHARTED = 6;


/**
 * A bar chart of RAG counts across a provider's recent CQRG packs, as SVG the server draws (no
 * script); the page puts the same figures in a table beside it, its text alternative.
 */
export function ragChart(packs: { meetingOn: string; counts: Record<string, number> }[]) {
  const rags = ['red', 'amber', 'green'] as const;
  const max = Math.max(1, ...packs.map((p) => rags.reduce((n, r) => n + (p.counts[r] ?? 0), 0)));
  const height = 160;
  const barWidth = 48;
  const gap = 72;
  const bars = packs.map((p, i) => {
    let y = height;
    const segments = rags.map((rag) => {
      const h = ((p.counts[rag] ?? 0) / max) * height;
      y -= h;
      return { rag, y, h, value: p.counts[rag] ?? 0 };
    });
    const [y4, m, d] = p.meetingOn.split('-');
    return { x: 40 + i * (barWidth + gap), label: `${Number(d)} ${MONTHS[Number(m) - 1]} ${y4}`, segments };
  });
  return { width: 40 + packs.length * (barWidth + gap), height, barWidth, max, bars };
}

export function chairPages(web: Web): Router {
  const { service, chair } = web.services.actionPlans;
  const router = Router(ROUTING);

  // Pick a provider: every active one, or an ODS code typed in.
  router.get('/', requireAccess(web.guard, { method: 'GET', route: '/api/action-plans/dashboard' }), async (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code.trim().toUpperCase() : undefined;
    if (code && ODS.test(code)) return res.redirect(303, `/providers/${code}`);
    const dashboard = await chair.dashboard();
    const providers = await web.services.referenceData.providers();
    web.render(req, res, 'chair/providers.njk', {
      title: 'CQRG action plans',
      providers: providers.map((p) => ({ code: p._id, name: p.name, counts: dashboard.providers.find((d) => d.providerCode === p._id)?.total })),
      error: code !== undefined ? 'Enter an ODS code such as RJ2' : undefined,
    }, code !== undefined ? 400 : 200);
  });

  router.get('/:code', requireAccess(web.guard, { method: 'GET', route: '/api/providers/:code/actions/dashboard' }), async (req, res) => {
    const code = String(req.params.code);
    if (!ODS.test(code)) throw new HttpError(404, 'not_found', `no provider ${code}`);
    const [dashboard, outstanding, packs, plans] = await Promise.all([
      chair.providerDashboard(code),
      chair.actions(code, listActionsQuery.parse({ outstanding: 'true', pageSize: '100' })),
      chair.packs(code),
      service.list(listActionPlansQuery.parse({ provider: code, status: 'open', pageSize: '100' })),
    ]);
    const recent = packs.items.slice(0, MEETINGS_CHARTED).reverse() as { meetingOn: string; counts: Record<string, number> }[];
    const latest = packs.items[0] ? await chair.pack(code, packs.items[0].meetingOn) : undefined;
    web.render(req, res, 'chair/provider.njk', {
      title: `Outstanding actions: ${code}`,
      back: { href: '/providers', text: 'All providers' },
      code,
      dashboard,
      themes: THEMES.filter((t) => RAGS.some((r) => dashboard.byTheme[t][r] > 0)),
      rags: RAGS,
      outstanding,
      chart: ragChart(recent),
      recent,
      latest,
      plans,
      canOpen: may(principalOf(req), 'POST', '/api/action-plans'),
    });
  });

  return router;
}


/** A plan's page and its events (the chair signs off here), under /action-plans. */
export function actionPlanPages(web: Web): Router {
  const { service } = web.services.actionPlans;
  const pages: CasePages<ActionPlanState> = {
    base: '/action-plans',
    api: '/api/action-plans',
    noun: 'action plan',
    events: ACTION_PLAN_EVENTS,
    words: ACTION_PLAN_WORDS,
    create: {
      title: 'Open an action plan',
      back: '/providers',
      form: {
        omit: ['escalateEveryWorkingDays'],
        rows: 3,
        labels: {
          providerCode: 'Provider ODS code',
          'source.kind': 'Where the plan comes from',
          'source.reference': 'Complaint or visit reference',
          'source.meetingOn': 'CQRG meeting date',
          chair: 'CQRG chair',
          'chair.id': 'Chair’s staff id',
          'chair.name': 'Chair’s name',
          actions: 'Action',
          'actions.owner': 'Owner',
          'actions.owner.id': 'Owner’s staff id',
          'actions.owner.name': 'Owner’s name',
          'actions.dueOn': 'Due date',
        },
      },
      // A chair opening a plan chairs it unless another is named.
      fill: (body, caller) => {
        if (!body.chair && caller.roles.includes('cqrg_chair')) body.chair = { id: caller.id, name: caller.name };
      },
      body: createActionPlanBody,
      open: (body, actor, key) => service.create(body as Parameters<typeof service.create>[0], actor, key),
    },
    forms: { 'complete-action': { rows: 2 } },
    send: (event, reference, req) => service.event(event, reference, req),
    page: {
      view: 'chair/plan.njk',
      title: 'Action plan',
      load: (reference) => service.get(reference),
      back: (plan) => ({ href: `/providers/${String(plan.providerCode)}`, text: `Outstanding actions: ${String(plan.providerCode)}` }),
    },
  };
  return casePages(web, pages);
}
