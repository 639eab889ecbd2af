import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { guardedRouter } from '../auth/routes';
import { actorOf } from '../kernel/request';
import { errorBody, json } from '../openapi';
import { validate } from '../validate';
import { letterBody, letterView } from './schemas';
import type { LetterRequest, LetterService, LetterSource } from './service';

/** POST `<base>/:reference/letters`: generate one of the process's letters from the case, kept as documents of it. */
export function caseLettersRouter(service: LetterService, source: LetterSource): Router {
  const router = guardedRouter(source.base);
  router.post('/:reference/letters', validate({ params: source.referenceParams, body: letterBody(Object.keys(source.letters)) }), async (req, res) => {
    const view = await service.generate(source, req.params.reference as string, req.body as LetterRequest, actorOf(req));
    res.status(201).json(view);
  });
  return router;
}

export function lettersOpenApi(sources: LetterSource[]): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  for (const source of sources) {
    const kinds = Object.entries(source.letters).map(([kind, l]) => `\`${kind}\`: ${l.title}`).join('; ');
    registry.registerPath({
      method: 'post',
      path: `${source.base}/{reference}/letters`,
      tags: [source.tag],
      summary: `Generate a letter from the case, as DOCX and PDF (and text for plain text and email), kept as documents of the case with its template's version (${kinds})`,
      request: { params: source.referenceParams as never, body: { content: { 'application/json': { schema: letterBody(Object.keys(source.letters)) } } } },
      responses: {
        201: json(letterView, 'The letter, and the documents it is kept as'),
        400: json(errorBody, 'An unknown kind or format, or a letter without what it needs written for it'),
        404: json(errorBody, 'No such case'),
        409: json(errorBody, 'The case cannot have this letter yet (or any more), and why'),
        503: json(errorBody, 'The database is unreachable'),
      },
    });
  }
  return registry;
}
