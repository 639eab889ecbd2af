import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type Response } from 'express';
import { guardedRouter } from '../auth/routes';
import { actorOf, seesPersonalDetails } from '../kernel/request';
import { errorBody, json } from '../openapi';
import { validate } from '../validate';
import { searchAnswer, searchQuery, type SearchQuery } from './schemas';
import type { SearchService } from './service';

/** Whether the caller is a visit panel member and nothing more: they find only the visits they sit on. */
const panelOnly = (actor: { role: string }) => actor.role === 'visit_panel';

/** GET /api/search: every process's cases, ranked. */
export function searchRouter(service: SearchService): Router {
  const router = guardedRouter('/api/search');
  router.get('/', validate({ query: searchQuery }), async (req: Request, res: Response) => {
    const actor = actorOf(req);
    res.json(await service.search(req.query as unknown as SearchQuery, { actor, personal: seesPersonalDetails(req), onlyTheirs: panelOnly(actor) }));
  });
  return router;
}

export function searchOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'get',
    path: '/api/search',
    tags: ['search'],
    summary: 'Find cases of every process by reference, NHS number, name, provider or words, ranked',
    description:
      'Names, NHS numbers and what complainants wrote are searched and shown only for the roles that may see personal details; for others such a search finds nothing, and says only that. A search with words or numbers in it is audited, its terms hashed.',
    request: { query: searchQuery },
    responses: { 200: json(searchAnswer, 'The page of results'), 400: json(errorBody, 'The query is not valid') },
  });
  return registry;
}
