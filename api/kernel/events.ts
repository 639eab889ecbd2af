import type { UpdateDefinition } from '@temporalio/common';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Request } from 'express';
import type { ZodObject, z } from 'zod';
import type { Models } from '../../models';
import type { Actor, Human } from '../../contracts/kernel/case';
import type { CaseAnswer } from '../../contracts/kernel/commit';
import { fromZodError } from '../errors';
import { json } from '../openapi';
import type { Cases, CaseRecord } from './cases';
import { actorOf, idempotencyKey } from './request';

/**
 * One human event of a process: its route (POST .../:reference/<path>), its request schema, its
 * Update and its OpenAPI entry, from one line. The schema's output is the Update's input, so
 * nothing between the request and the workflow is cast.
 */
export interface CaseEvent<S> {
  path: string;
  summary: string;
  body: ZodObject;
  /** A finished case takes this event: its workflow is resumed for it (see Cases.revive). */
  revives: boolean;
  /** Parse a request body and send it, with who sent it, as the event's Update. */
  send<R extends CaseRecord>(cases: Cases<R, S>, reference: string, req: Request): Promise<{ record: R; live: S }>;
}

/**
 * A check an event's body needs that its schema cannot make alone, against the records (a
 * signatory in the staff directory, say): it throws a 400 naming the field, before the Update is sent.
 */
export type EventCheck<I> = (input: I, ctx: { models: Models; reference: string }) => Promise<void>;

export function caseEvent<S, B extends ZodObject>(
  path: string,
  summary: string,
  body: B,
  update: UpdateDefinition<CaseAnswer<S>, [Human<z.output<B>>]>,
  opts: { revives?: boolean; check?: EventCheck<z.output<B>> } = {},
): CaseEvent<S> {
  const revives = !!opts.revives;
  return {
    path,
    summary,
    body,
    revives,
    async send(cases, reference, req) {
      const parsed = body.safeParse(req.body);
      if (!parsed.success) throw fromZodError(parsed.error, 'body');
      const actor: Actor = actorOf(req);
      await opts.check?.(parsed.data, { models: cases.deps.models, reference });
      return cases.event(reference, update, { ...parsed.data, actor }, { idempotencyKey: idempotencyKey(req), revives });
    },
  };
}

/** The OpenAPI entries of a process's events. */
export function registerEvents<S>(
  registry: OpenAPIRegistry,
  opts: { base: string; tag: string; params: ZodObject; events: CaseEvent<S>[]; result: z.ZodType; errors: Record<number, ReturnType<typeof json>> },
): void {
  for (const event of opts.events) {
    registry.registerPath({
      method: 'post',
      path: `${opts.base}/{reference}/${event.path}`,
      tags: [opts.tag],
      summary: event.summary,
      request: { params: opts.params, body: { content: { 'application/json': { schema: event.body } } } },
      responses: { 200: json(opts.result, 'The case after the event'), ...opts.errors },
    });
  }
}
