import { Router, type Request } from 'express';
import type { ZodError } from 'zod';
import { canonicalReferences, ROUTING } from '../api/auth/routes';
import { fromZodError } from '../api/errors';
import type { Web } from './web';
import { may, principalOf, requireAccess } from './session';

/**
 * A process's work queue: its open cases, the next deadline first (the case index keeps them in
 * that order), with how many working days are left; `?overdue=true` for the late ones.
 */
export function caseQueue<Q extends { pageSize: number; overdue?: boolean }>(
  web: Web,
  opts: {
    base: string;
    api: string;
    plural: string;
    query: { safeParse(v: unknown): { success: true; data: Q } | { success: false; error: ZodError } };
    list: (q: Q, req: Request) => Promise<{ items: unknown[]; total: number; page: number; pageSize: number; next: string | null; prev: string | null }>;
    /** The button that opens a case, for those who may. */
    open: string;
    extra?: { head: string; field: string; date?: boolean }[];
  },
): Router {
  const router = Router(ROUTING);
  canonicalReferences(router, { redirect: true });
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
