import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { ZodType } from 'zod';
import type { Principal } from '../api/auth/tokens';
import { fromZodError } from '../api/errors';
import type { CaseEvent } from '../api/kernel/events';
import { actorOf, idempotencyKey } from '../api/kernel/request';
import type { Actor } from '../contracts/kernel/case';
import type { FormFor } from './forms';
import type { Web } from './web';
import { mayOn, principalOf, requireAccess } from './session';
import { canonicalReferences, ROUTING } from '../api/auth/routes';
import { deadlineLabels, type Vocabulary } from '../contracts/kernel/vocabulary';
import { formRoute, type Fill, type Intro } from './form-route';
import { caseDocumentPages, caseDocumentsOnPage } from './case-documents';

export { formRoute, type Fill, type FormRoute } from './form-route';
export { caseQueue } from './queue';

/**
 * What every process's pages share: a form to open a case and a form for each of its events,
 * both made from the API's own schema and sent through the process's own service (as the API's
 * routes send them), a case page listing only the events its state allows.
 */
export interface CasePages<S> {
  /** `/complaints`: the pages' base. */
  base: string;
  /** `/api/complaints`: the API the pages stand for. */
  api: string;
  /** `complaint`, in sentences. */
  noun: string;
  events: CaseEvent<S>[];
  /** The process's words (contracts/<process>/vocabulary.ts): each event's title, which a state offers, the deadlines' labels. */
  words: Vocabulary<S>;
  create?: {
    title: string;
    /** Where the form's back link goes (default: the pages' base). */
    back?: string;
    form: FormFor<Request>;
    /** Fields the page fills rather than asks (e.g. who is planning, a picked person's name). */
    fill?: Fill;
    /** The API's own schema for the body (its validate middleware's). */
    body: ZodType;
    open: (body: unknown, actor: Actor, idempotencyKey: string) => Promise<{ view: { reference: string } }>;
  };
  /** An event's form, by its path: fixed options, or worked out for the request. */
  forms?: Record<string, FormFor<Request>>;
  /** Fields of an event's body the page fills rather than asks, by the event's path. */
  fills?: Record<string, Fill>;
  /** A paragraph under an event form's heading, worked out for the request, by the event's path. */
  intros?: Record<string, (req: Request) => Promise<Intro | undefined>>;
  send: (event: CaseEvent<S>, reference: string, req: Request) => Promise<unknown>;
  /** The case page: its template, and the case as the service answers it for this caller. */
  page: {
    view: string;
    title: string;
    /** `state`: the live state, else the one last projected (api/kernel/freshness.ts), which the events offered follow. */
    load: (reference: string, req: Request) => Promise<{ live?: S | null; state?: S | null }>;
    back: (kase: Record<string, unknown>) => { href: string; text: string };
    /** What else the template needs (fixed for the process: words for codes). */
    extra?: Record<string, unknown>;
    /** What the page's view needs that depends on the caller (a control only some may use). */
    extraFor?: (reference: string, caller: Principal | undefined, req: Request) => Record<string, unknown> | Promise<Record<string, unknown>>;
    /** Other things the caller may do from the page (a form that is not an event). */
    more?: (reference: string, caller: Principal | undefined) => { href: string; text: string }[];
  };
}

export function casePages<S>(web: Web, pages: CasePages<S>): Router {
  const router = Router(ROUTING);
  canonicalReferences(router, { redirect: true });

  const create = pages.create;
  if (create) {
    formRoute(web, router, {
      path: '/new',
      api: { method: 'POST', schemaPath: pages.api },
      title: create.title,
      caption: () => `New ${pages.noun}`,
      back: () => create.back ?? pages.base,
      form: create.form,
      fill: create.fill,
      async send(req, body) {
        const parsed = create.body.safeParse(body);
        if (!parsed.success) throw fromZodError(parsed.error, 'body');
        // The form's own key, held to the API's rule (8-200 characters of A-Z a-z 0-9 . _ : -):
        // read raw, a crafted form's NUL bytes or 20,000 characters became a key row's id.
        const { view } = await create.open(parsed.data, actorOf(req), idempotencyKey(req) ?? randomUUID());
        return `${pages.base}/${view.reference}?done=opened`;
      },
    });
  }

  caseDocumentPages(web, router, pages);

  router.get('/:reference', requireAccess(web.guard, { method: 'GET', route: `${pages.api}/:reference` }), async (req, res) => {
    const reference = req.params.reference as string;
    const kase = await pages.page.load(reference, req);
    const principal = principalOf(req);
    const may = mayOn(web.guard.models, principal, reference);
    web.render(req, res, pages.page.view, {
      ...pages.page.extra,
      ...(await pages.page.extraFor?.(reference, principal, req)),
      title: `${pages.page.title} ${reference}`,
      back: pages.page.back(kase),
      kase,
      done: typeof req.query.done === 'string' ? req.query.done : undefined,
      deadlineLabels: deadlineLabels(pages.words),
      ...(await caseDocumentsOnPage(web, pages, reference, principal)),
      actions: [...(await eventButtons(pages, kase.state ?? kase.live, reference, principal, (path) => may('POST', path))), ...(pages.page.more?.(reference, principal) ?? [])],
    });
  });

  for (const event of pages.events) {
    formRoute(web, router, {
      path: `/:reference/${event.path}`,
      api: { method: 'POST', schemaPath: `${pages.api}/{reference}/${event.path}` },
      title: event.title,
      caption: (req) => req.params.reference as string,
      back: (req) => `${pages.base}/${req.params.reference}`,
      form: pages.forms?.[event.path],
      fill: pages.fills?.[event.path],
      intro: pages.intros?.[event.path],
      async send(req) {
        await pages.send(event, req.params.reference as string, req);
        return `${pages.base}/${req.params.reference}?done=${event.path}`;
      },
    });
  }
  return router;
}

/**
 * The buttons a case page shows: the events the state allows that the caller may send. From the
 * projected state when the live one did not answer in time: the Update's own validator still
 * decides, so a button offered from a state a moment old at worst leads to a form that says why not.
 * `may` is the route's own check on this case (its record rule too: no button the API would refuse).
 */
export async function eventButtons<S>(pages: CasePages<S>, state: S | null | undefined, reference: string, caller: Principal | undefined, may: (path: string) => Promise<boolean>) {
  if (!state) return [];
  const offered = new Set(pages.words.offered(state, caller));
  const candidates = pages.events.filter((e) => offered.has(e.path) && !!caller?.roles.some((r) => e.roles.includes(r)));
  const allowed = await Promise.all(candidates.map((e) => may(`${pages.api}/${reference}/${e.path}`)));
  return candidates.filter((_, i) => allowed[i]).map((e) => ({ href: `${pages.base}/${reference}/${e.path}`, text: e.title }));
}
