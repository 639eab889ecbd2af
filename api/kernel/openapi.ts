import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ZodObject, z } from 'zod';
import { errorBody, json } from '../openapi';
import { z as zod } from '../../lib/zod';
import { registerEvents, type CaseEvent } from './events';

/** The error answers every process's case routes share, worded for its cases (`noun`: "case", "visit"). */
export function caseErrors(noun: string) {
  return {
    400: json(errorBody, 'Invalid input: each bad field and why'),
    404: json(errorBody, `No such ${noun}`),
    409: json(errorBody, `The ${noun}'s state refuses this event`),
    503: json(errorBody, 'Temporal or the database is unreachable'),
  };
}

/**
 * The OpenAPI entries of the routes every process has: open a case (with an Idempotency-Key),
 * list them, read one, and one POST per event. A process registers anything else it has itself.
 */
export function registerCaseRoutes<S>(
  registry: OpenAPIRegistry,
  opts: {
    base: string;
    tag: string;
    noun: string;
    params: ZodObject;
    create: { summary: string; body: ZodObject; view: z.ZodType; description: string };
    list: { summary: string; query: ZodObject; page: z.ZodType };
    detail: { summary: string; view: z.ZodType };
    events: CaseEvent<S>[];
  },
): void {
  const errors = caseErrors(opts.noun);
  registry.registerPath({
    method: 'post',
    path: opts.base,
    tags: [opts.tag],
    summary: opts.create.summary,
    request: {
      headers: zod.object({ 'Idempotency-Key': zod.string().optional() }),
      body: { content: { 'application/json': { schema: opts.create.body } } },
    },
    responses: { 201: json(opts.create.view, opts.create.description), 400: errors[400], 422: json(errorBody, 'Idempotency-Key reused with another request'), 503: errors[503] },
  });
  registry.registerPath({
    method: 'get',
    path: opts.base,
    tags: [opts.tag],
    summary: opts.list.summary,
    request: { query: opts.list.query },
    responses: { 200: json(opts.list.page, `A page of ${opts.noun}s`), 400: errors[400], 503: errors[503] },
  });
  registry.registerPath({
    method: 'get',
    path: `${opts.base}/{reference}`,
    tags: [opts.tag],
    summary: opts.detail.summary,
    request: { params: opts.params },
    responses: { 200: json(opts.detail.view, `The ${opts.noun}`), 400: errors[400], 404: errors[404], 503: errors[503] },
  });
  registerEvents(registry, { base: opts.base, tag: opts.tag, params: opts.params, events: opts.events, result: opts.detail.view, errors });
}
