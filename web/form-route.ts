import { randomUUID } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { HttpError, toHttpError, type FieldProblem } from '../api/errors';
import type { Principal } from '../api/auth/tokens';
import { bodyFrom } from './form-body';
import { formFields, humanise, problemLinks, requestSchema, shownBeside, type FormFor, type FormOptions, type Posted } from './forms';
import { principalOf, requireAccess } from './session';
import type { Web } from './web';

/** Fills fields of a body the form did not ask for (who is acting, a picked person's name). */
export type Fill = (body: Record<string, unknown>, caller: Principal) => void | Promise<void>;

/** A paragraph under a form's heading; its link (the case page's upload form, say) after it. */
export type Intro = string | { text: string; link?: { href: string; text: string } };

/** The problems an error comes with, for the form: its fields', or one for the form as a whole. */
function problemsOf(err: HttpError): FieldProblem[] {
  if (err.details?.length) return err.details;
  return [{ field: 'form', reason: err.message }];
}

/** Render a form page: fields from the schema, the error summary (fields' problems and the form's own). */
function renderForm(web: Web, req: Request, res: Response, opts: { title: string; caption: string; intro?: Intro; back: string; action: string; schema: ReturnType<typeof requestSchema>; form: FormOptions; posted: Posted; problems: FieldProblem[]; status?: number; submit: string }) {
  const fields = formFields(web.openapi, opts.schema, opts.posted, opts.problems, opts.form);
  // Problems of a field on the form are shown beside it; the rest (the case's state, a rule
  // across fields) head the summary and link to the form.
  const loose = opts.problems
    .map((p) => ({ field: p.field.replace(/^body\.?/, ''), reason: p.reason }))
    .filter((p) => !shownBeside(fields, p.field))
    .map((p) => ({ text: ['', 'form'].includes(p.field) ? p.reason : `${humanise(p.field.split('.').at(-1)!)}: ${p.reason}`, href: '#main-form' }));
  const errors = [...loose, ...problemLinks(fields)];
  web.render(req, res, 'form.njk', {
    title: opts.title,
    caption: opts.caption,
    intro: typeof opts.intro === 'string' ? { text: opts.intro } : opts.intro,
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
  /** A paragraph under the heading, worked out for the request (what the case's record says the form should know). */
  intro?: (req: Request) => Promise<Intro | undefined>;
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
      intro: await route.intro?.(req),
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
      if (http.details?.some((d) => d.field === 'header.Idempotency-Key')) {
        // A key no page of ours gives (a crafted form's): refused as the API refuses it, and a fresh one.
        return form(req, res, { ...posted, _key: randomUUID() }, [{ field: 'form', reason: 'This form’s Idempotency-Key was not one this site gives; it has a new one: check the form and send it again.' }], 400);
      }
      if (http.status !== 400 && http.status !== 409) throw err;
      await form(req, res, posted, problemsOf(http), http.status);
    }
  });
}

