import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { ZodType } from 'zod';
import type { Principal } from '../api/auth/tokens';
import { fromZodError, HttpError, toHttpError, type FieldProblem } from '../api/errors';
import type { CaseEvent } from '../api/kernel/events';
import { actorOf } from '../api/kernel/request';
import type { Actor } from '../contracts/kernel/case';
import { bodyFrom, fieldNames, formFields, humanise, problemLinks, requestSchema, type FormFor, type FormOptions, type Posted } from './forms';
import type { Web } from './web';
import { checkFormFields, may, principalOf, requireAccess } from './session';
import { keepDocument } from '../api/documents/router';
import { ROUTING } from '../api/auth/routes';
import { deadlineLabels, type Vocabulary } from '../contracts/kernel/vocabulary';

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
  send: (event: CaseEvent<S>, reference: string, req: Request) => Promise<unknown>;
  /** The case page: its template, and the case as the service answers it for this caller. */
  page: {
    view: string;
    title: string;
    load: (reference: string, req: Request) => Promise<{ live?: S | null }>;
    back: (kase: Record<string, unknown>) => { href: string; text: string };
    /** What else the template needs (fixed for the process: words for codes). */
    extra?: Record<string, unknown>;
    /** Other things the caller may do from the page (a form that is not an event). */
    more?: (reference: string, caller: Principal | undefined) => { href: string; text: string }[];
  };
}

/** Fills fields of a body the form did not ask for (who is acting, a picked person's name). */
export type Fill = (body: Record<string, unknown>, caller: Principal) => void | Promise<void>;

/** The problems an error comes with, for the form: its fields', or one for the form as a whole. */
function problemsOf(err: HttpError): FieldProblem[] {
  if (err.details?.length) return err.details;
  return [{ field: 'form', reason: err.message }];
}

/** Render a form page: fields from the schema, the error summary (fields' problems and the form's own). */
function renderForm(web: Web, req: Request, res: Response, opts: { title: string; caption: string; back: string; action: string; schema: ReturnType<typeof requestSchema>; form: FormOptions; posted: Posted; problems: FieldProblem[]; status?: number; submit: string }) {
  const fields = formFields(web.openapi, opts.schema, opts.posted, opts.problems, opts.form);
  // Problems of a field on the form are shown beside it; the rest (the case's state, a rule
  // across fields) head the summary and link to the form.
  const names = fieldNames(fields);
  const loose = opts.problems
    .map((p) => ({ field: p.field.replace(/^body\.?/, ''), reason: p.reason }))
    .filter((p) => !names.has(p.field))
    .map((p) => ({ text: ['', 'form'].includes(p.field) ? p.reason : `${humanise(p.field.split('.').at(-1)!)}: ${p.reason}`, href: '#main-form' }));
  const errors = [...loose, ...problemLinks(fields)];
  web.render(req, res, 'form.njk', {
    title: opts.title,
    caption: opts.caption,
    back: { href: opts.back, text: 'Back' },
    action: opts.action,
    fields,
    errors,
    submit: opts.submit,
    idempotencyKey: typeof opts.posted._key === 'string' ? opts.posted._key : randomUUID(),
  }, opts.status ?? (errors.length ? 400 : 200));
}

/** Send what a form posted as the API body; a refusal comes back to the form, anything else goes on. */
async function submit(req: Request, web: Web, schema: ReturnType<typeof requestSchema>, fill?: (body: Record<string, unknown>) => void | Promise<void>) {
  const posted = req.body as Posted;
  const body = bodyFrom(schema, posted, web.openapi);
  await fill?.(body);
  req.body = body;
  // The form's own key: a double click, or the form sent again after a timeout, does it once.
  if (typeof posted._key === 'string') req.headers['idempotency-key'] = posted._key;
  return { posted, body };
}

/**
 * A form page that stands for one API route: GET shows it (filled from the link's query, if
 * any), POST sends what was typed through `send` as that route's body, then goes where `send`
 * says; a 400 or 409 comes back to the form with its problems.
 */
export interface FormRoute {
  /** The page's path under the router, e.g. `/:reference/acknowledge`. */
  path: string;
  /** The API route it stands for: its method, and its path as the schema names it (`/api/complaints/{reference}/acknowledge`). */
  api: { method: 'POST' | 'PUT'; schemaPath: string };
  title: string;
  caption: (req: Request) => string;
  back: (req: Request) => string;
  form?: FormFor<Request>;
  fill?: Fill;
  /** Do it; the address to go to after. */
  send: (req: Request, body: Record<string, unknown>) => Promise<string>;
}

export function formRoute(web: Web, router: Router, route: FormRoute): void {
  const schema = requestSchema(web.openapi, route.api.method, route.api.schemaPath);
  const stands = requireAccess(web.guard, { method: route.api.method, route: route.api.schemaPath.replace(/\{(\w+)\}/g, ':$1') });
  const options = async (req: Request): Promise<FormOptions> => (typeof route.form === 'function' ? route.form(req) : (route.form ?? {}));
  const form = async (req: Request, res: Response, posted: Posted, problems: FieldProblem[], status?: number) =>
    renderForm(web, req, res, {
      title: route.title,
      caption: route.caption(req),
      back: route.back(req),
      action: req.originalUrl.split('?')[0],
      schema,
      form: await options(req),
      posted,
      problems,
      status,
      submit: route.title,
    });
  // A link may start the form filled in (`/action-plans/new?providerCode=RJ1`): text only, shown escaped.
  router.get(route.path, stands, async (req, res) => form(req, res, Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string')) as Posted, []));
  router.post(route.path, stands, async (req, res) => {
    const { posted, body } = await submit(req, web, schema, (b) => route.fill?.(b, principalOf(req)!));
    try {
      res.redirect(303, await route.send(req, body));
    } catch (err) {
      const http = toHttpError(err);
      if (http.code === 'in_progress') {
        // Sent a moment ago (a double click, or a send the server died in): the same form, with
        // the same key, sent again shortly answers that send's result.
        return form(req, res, posted, [{ field: 'form', reason: 'This form was sent a moment ago and is still being processed. Wait a few seconds, then send it again.' }], 409);
      }
      if (http.code === 'idempotency_key_reused') {
        // Changed after a send that may have gone through: a new key, and a word to check first.
        return form(req, res, { ...posted, _key: randomUUID() }, [{ field: 'form', reason: 'This form was sent before with other details, and that may have gone through: check before sending it again.' }], 409);
      }
      if (http.status !== 400 && http.status !== 409) throw err;
      await form(req, res, posted, problemsOf(http), http.status);
    }
  });
}

export function casePages<S>(web: Web, pages: CasePages<S>): Router {
  const router = Router(ROUTING);

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
        const { view } = await create.open(parsed.data, actorOf(req), req.get('Idempotency-Key') ?? randomUUID());
        return `${pages.base}/${view.reference}?done=opened`;
      },
    });
  }

  const documents = web.documents.find((d) => d.base === pages.api);
  if (documents) {
    // The case page's upload form: its form token is read from the multipart body before the file.
    router.post('/:reference/documents', requireAccess(web.guard, { method: 'POST', route: `${pages.api}/:reference/documents`, multipart: true }), async (req, res) => {
      const reference = req.params.reference as string;
      await keepDocument(web.services.documents, documents, req, reference, (fields) => checkFormFields(req, fields));
      res.redirect(303, `${pages.base}/${reference}?done=document#documents`);
    });
  }

  router.get('/:reference', requireAccess(web.guard, { method: 'GET', route: `${pages.api}/:reference` }), async (req, res) => {
    const reference = req.params.reference as string;
    const kase = await pages.page.load(reference, req);
    const principal = principalOf(req);
    const readsDocuments = !!documents && may(principal, 'GET', `${pages.api}/${reference}/documents`);
    web.render(req, res, pages.page.view, {
      ...pages.page.extra,
      title: `${pages.page.title} ${reference}`,
      back: pages.page.back(kase),
      kase,
      done: typeof req.query.done === 'string' ? req.query.done : undefined,
      deadlineLabels: deadlineLabels(pages.words),
      documents: readsDocuments ? (await web.services.documents.list(reference)).documents : undefined,
      documentKinds: pages.words.documents ?? {},
      canUpload: readsDocuments && may(principal, 'POST', `${pages.api}/${reference}/documents`),
      uploadAction: `${pages.base}/${reference}/documents`,
      actions: [...eventButtons(pages, kase.live, reference, principal, (path) => may(principal, 'POST', path)), ...(pages.page.more?.(reference, principal) ?? [])],
    });
  });

  for (const event of pages.events) {
    formRoute(web, router, {
      path: `/:reference/${event.path}`,
      api: { method: 'POST', schemaPath: `${pages.api}/{reference}/${event.path}` },
      title: pages.words.events[event.path] ?? event.summary,
      caption: (req) => req.params.reference as string,
      back: (req) => `${pages.base}/${req.params.reference}`,
      form: pages.forms?.[event.path],
      fill: pages.fills?.[event.path],
      async send(req) {
        await pages.send(event, req.params.reference as string, req);
        return `${pages.base}/${req.params.reference}?done=${event.path}`;
      },
    });
  }
  return router;
}

/** The buttons a case page shows: the events the state allows that the caller may send. */
export function eventButtons<S>(pages: CasePages<S>, live: S | null | undefined, reference: string, caller: Principal | undefined, may: (path: string) => boolean) {
  if (!live) return [];
  const offered = new Set(pages.words.offered(live, caller));
  return pages.events
    .filter((e) => offered.has(e.path) && may(`${pages.api}/${reference}/${e.path}`))
    .map((e) => ({ href: `${pages.base}/${reference}/${e.path}`, text: pages.words.events[e.path] ?? e.summary }));
}

/**
 * A process's work queue: its open cases, the next deadline first (the case index keeps them in
 * that order), with how many working days are left; `?overdue=true` for the late ones.
 */
export function caseQueue<Q extends { page: number; pageSize: number; overdue?: boolean }>(
  web: Web,
  opts: {
    base: string;
    api: string;
    plural: string;
    query: { safeParse(v: unknown): { success: true; data: Q } | { success: false; error: import('zod').ZodError } };
    list: (q: Q, req: Request) => Promise<{ items: unknown[]; total: number; pageSize: number }>;
    /** The button that opens a case, for those who may. */
    open: string;
    extra?: { head: string; field: string; date?: boolean }[];
  },
): Router {
  const router = Router(ROUTING);
  router.get('/', requireAccess(web.guard, { method: 'GET', route: opts.api }), async (req, res) => {
    const parsed = opts.query.safeParse({ status: 'open', ...req.query });
    if (!parsed.success) throw fromZodError(parsed.error, 'query');
    const list = await opts.list(parsed.data, req);
    const principal = principalOf(req);
    web.render(req, res, 'queue.njk', {
      title: `${parsed.data.overdue ? 'Overdue' : 'Open'} ${opts.plural}`,
      base: opts.base,
      plural: opts.plural,
      extra: opts.extra ?? [],
      list,
      query: parsed.data,
      pages: Math.max(1, Math.ceil(list.total / list.pageSize)),
      canOpen: may(principal, 'POST', opts.api) ? opts.open : undefined,
    });
  });
  return router;
}
