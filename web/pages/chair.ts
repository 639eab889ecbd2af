import { Router, type Request } from 'express';
import { ROUTING } from '../../api/auth/routes';
import { ACTION_PLAN_EVENTS } from '../../api/action-plans/events';
import { createActionPlanBody, listActionPlansQuery, listActionsQuery } from '../../api/action-plans/schemas';
import { fromZodError, HttpError } from '../../api/errors';
import { odsCode } from '../../lib/zod';
import { RAGS, THEMES, type ActionPlanState } from '../../contracts/action-plan/definitions';
import { ACTION_PLAN_PICKS, ACTION_PLAN_WORDS } from '../../contracts/action-plan/vocabulary';
import type { Principal } from '../../api/auth/tokens';
import type { StaffView } from '../../api/staff/schemas';
import { casePages, type CasePages, type Fill } from '../cases';
import { documentChoices, noneToPick, pickOptions } from '../document-picks';
import type { FormOptions } from '../forms';
import type { Web } from '../web';
import { may, principalOf, requireAccess } from '../session';

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
    const code = typeof req.query.code === 'string' ? req.query.code : undefined;
    const ods = code === undefined ? undefined : odsCode.safeParse(code);
    if (ods?.success) return res.redirect(303, `/providers/${ods.data}`);
    const dashboard = await chair.dashboard();
    const providers = await web.services.referenceData.providers();
    web.render(req, res, 'chair/providers.njk', {
      title: 'CQRG action plans',
      providers: providers.map((p) => ({ code: p._id, name: p.name, counts: dashboard.providers.find((d) => d.providerCode === p._id)?.total })),
      error: code !== undefined ? 'Enter an ODS code such as RJ2' : undefined,
    }, code !== undefined ? 400 : 200);
  });

  router.get('/:code', requireAccess(web.guard, { method: 'GET', route: '/api/providers/:code/actions/dashboard' }), async (req, res) => {
    const ods = odsCode.safeParse(String(req.params.code));
    if (!ods.success) throw new HttpError(404, 'not_found', `no provider ${String(req.params.code)}`);
    const code = ods.data;
    // rj2 typed into the address: the provider's page at its one address, RJ2.
    if (code !== req.params.code) {
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      return res.redirect(301, `/providers/${code}${query}`);
    }
    // The outstanding actions a hundred at a time, by key: the next hundred's link carries the cursor.
    const asked = listActionsQuery.safeParse({ outstanding: 'true', pageSize: '100', ...(typeof req.query.cursor === 'string' && { cursor: req.query.cursor }) });
    if (!asked.success) throw fromZodError(asked.error, 'query');
    const [dashboard, outstanding, packs, plans, cycle] = await Promise.all([
      chair.providerDashboard(code),
      chair.actions(code, asked.data),
      chair.recentPacks(code, MEETINGS_CHARTED),
      service.list(listActionPlansQuery.parse({ provider: code, status: 'open', pageSize: '100' })),
      // The provider's CQRG meeting cycle (web/views/cqrg-meetings/cycle.njk), through its service.
      web.services.cqrgMeetings.cycle(code),
    ]);
    const recent = [...packs].reverse();
    const latest = packs[0];
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
      cycle: { ...cycle, planPending: req.query.plan === 'pending', canPlan: may(principalOf(req), 'PUT', `/api/providers/${code}/reporting-plan`), canOpen: may(principalOf(req), 'POST', '/api/cqrg-meetings') },
    });
  });

  return router;
}


/** People as a picker lists them: by name, and where two share a name, their address or id too. */
export function pickerOptions(people: StaffView[]): { value: string; text: string }[] {
  const names = new Map<string, number>();
  for (const p of people) names.set(p.name, (names.get(p.name) ?? 0) + 1);
  return people.map((p) => ({ value: p.id, text: names.get(p.name)! > 1 ? `${p.name} (${p.email ?? p.id})` : p.name }));
}

/**
 * A plan's chair and its actions' owners are picked from the staff directory (api/staff), never
 * typed: their ids are their sign-ins' subjects, which no one should have to spell. The chair from
 * those with the CQRG chair role, an owner from everyone in it.
 */
async function pickers(web: Web, caller: Principal | undefined): Promise<Pick<FormOptions, 'pick' | 'defaults'>> {
  const everyone = (await web.services.staff.list({})).items;
  // The caller is in it, even before their sign-in's write has landed.
  if (caller && !everyone.some((p) => p.id === caller.id)) everyone.push({ id: caller.id, name: caller.name, roles: caller.roles });
  const chairs = everyone.filter((p) => p.roles.includes('cqrg_chair'));
  return {
    pick: { 'chair.id': pickerOptions(chairs), 'actions.owner.id': pickerOptions(everyone), 'owner.id': pickerOptions(everyone) },
    // A chair opening a plan chairs it unless they pick another.
    defaults: caller?.roles.includes('cqrg_chair') ? { 'chair.id': caller.id } : {},
  };
}

const asObject = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** Each picked person's name, as the directory has it: the API's body names everyone it is given. */
async function namePeople(web: Web, people: unknown[], caller: { id: string; name: string }): Promise<void> {
  const picked = people.map(asObject).filter((p): p is Record<string, unknown> & { id: string } => typeof p?.id === 'string');
  const named = await web.services.staff.named(picked.map((p) => p.id));
  for (const p of picked) {
    const name = named.get(p.id)?.name ?? (p.id === caller.id ? caller.name : undefined);
    if (name) p.name = name;
  }
}

/** Opening a plan: a chair who picked no one chairs it; the chair's and owners' names from the directory. */
const nameOpened = (web: Web): Fill => async (body, caller) => {
  if (!asObject(body.chair)?.id && caller.roles.includes('cqrg_chair')) body.chair = { id: caller.id };
  const owners = Array.isArray(body.actions) ? body.actions.map((a) => asObject(a)?.owner) : [];
  await namePeople(web, [body.chair, ...owners], caller);
};

/** Adding an action: its owner's name from the directory. */
const nameAdded = (web: Web): Fill => (body, caller) => namePeople(web, [body.owner], caller);

const planOf = (req: Request) => req.params.reference as string;
/** An action's evidence documents: the process's words for their picker. */
const evidencePick = ACTION_PLAN_PICKS['complete-action'];

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
      form: async (req) => ({
        omit: ['escalateEveryWorkingDays', 'chair.name', 'actions.owner.name'],
        rows: 3,
        labels: {
          providerCode: 'Provider ODS code',
          'source.kind': 'Where the plan comes from',
          'source.reference': 'Complaint or visit reference',
          'source.meetingOn': 'CQRG meeting date',
          chair: 'CQRG chair',
          'chair.id': 'Who chairs it',
          actions: 'Action',
          'actions.owner': 'Owner',
          'actions.owner.id': 'Who owns it',
          'actions.dueOn': 'Due date',
        },
        ...(await pickers(web, principalOf(req))),
      }),
      fill: nameOpened(web),
      body: createActionPlanBody,
      open: (body, actor, key) => service.create(body as Parameters<typeof service.create>[0], actor, key),
    },
    forms: {
      // The plan's uploaded documents, a box to tick for each (never an id typed).
      'complete-action': async (req) => ({ rows: 2, ...pickOptions(evidencePick, 'documents', await documentChoices(web, req, planOf(req)), true) }),
      'add-action': async (req) => ({ omit: ['owner.name'], labels: { 'owner.id': 'Who owns it' }, ...(await pickers(web, principalOf(req))) }),
    },
    fills: { 'add-action': nameAdded(web) },
    intros: { 'complete-action': async (req) => noneToPick(evidencePick, await documentChoices(web, req, planOf(req)), `/action-plans/${planOf(req)}`) },
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
