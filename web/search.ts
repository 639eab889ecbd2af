import { Router } from 'express';
import { ROUTING } from '../api/auth/routes';
import { actorOf, seesPersonalDetails } from '../api/kernel/request';
import { searchQuery, SEARCH_PROCESSES } from '../api/search/schemas';
import { fromZodError } from '../api/errors';
import { VOCABULARIES } from '../contracts/vocabularies';
import { requireAccess } from './session';
import type { Web } from './web';

/** A snippet's text in pieces, each marked or not, so the template escapes every piece and marks the matches. */
function pieces(snippet: { text: string; highlights: [number, number][] } | null) {
  if (!snippet) return [];
  const out: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const [s, e] of snippet.highlights) {
    if (s > at) out.push({ text: snippet.text.slice(at, s), mark: false });
    out.push({ text: snippet.text.slice(s, e), mark: true });
    at = e;
  }
  if (at < snippet.text.length) out.push({ text: snippet.text.slice(at), mark: false });
  return out;
}

/**
 * The results page behind the header's search box: GET /search?q=…, with the API's filters
 * (process, provider, status, dates) and pages, standing for GET /api/search (its line of the
 * permission matrix, its audit). A bad filter shows the form again with what is wrong.
 */
export function searchPages(web: Web): Router {
  const router = Router(ROUTING);
  router.get('/', requireAccess(web.guard, { method: 'GET', route: '/api/search' }), async (req, res) => {
    const raw = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;
    const processes = SEARCH_PROCESSES.map((p) => ({ value: p, text: labelOf(p), selected: raw.process === p }));
    if (!raw.q) return web.render(req, res, 'search.njk', { title: 'Search cases', query: raw, processes });
    const parsed = searchQuery.safeParse(raw);
    if (!parsed.success) {
      const error = fromZodError(parsed.error, 'query');
      const errors = (error.details ?? []).map((d) => ({ text: `${d.field.replace(/^query\./, '')}: ${d.reason}`, href: `#search-${d.field.replace(/^query\./, '')}` }));
      return web.render(req, res, 'search.njk', { title: 'Search cases', query: raw, processes, errors }, 400);
    }
    const actor = actorOf(req);
    const answer = await web.services.search.search(parsed.data, { actor, personal: seesPersonalDetails(req), onlyTheirs: actor.role === 'visit_panel' });
    const more = (page: number) => `/search?${new URLSearchParams({ ...raw, page: String(page) }).toString()}`;
    web.render(req, res, 'search.njk', {
      title: `Search: ${parsed.data.q}`,
      query: raw,
      processes,
      answer: { ...answer, items: answer.items.map((i) => ({ ...i, label: labelOf(i.process), pieces: pieces(i.snippet) })) },
      previous: answer.page > 1 ? more(answer.page - 1) : undefined,
      next: answer.more ? more(answer.page + 1) : undefined,
    });
  });
  return router;
}

const labelOf = (process: string) => VOCABULARIES[process]?.noun ?? process;
