import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Request } from 'express';
import type { ZodObject, z } from 'zod';
import type { Models } from '../../models';
import type { Actor } from '../../contracts/kernel/case';
import { updatesOf, type EventRows, type StaffNote } from '../../contracts/kernel/events';
import { fromZodError, HttpError, toHttpError } from '../errors';
import { json } from '../openapi';
import type { Cases, CaseRecord } from './cases';
import { actorOf, callerHolds, idempotencyKey } from './request';
import type { Role } from '../../contracts/kernel/roles';
import { assertJsonBody } from '../validate';

/**
 * One human event of a process as the API serves it: its route (POST .../:reference/<path>), its
 * request schema, its Update and its OpenAPI entry, all from its row in the process's vocabulary
 * (contracts/<p>/events.ts). The schema's output is the Update's input, so nothing between the
 * request and the workflow is cast.
 */
export interface CaseEvent<S> {
  path: string;
  title: string;
  summary: string;
  body: ZodObject;
  /** Who may send it (its row's roles). */
  roles: readonly Role[];
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

/** Where a process keeps the staff notes its events carry (see EventRow.notes): written first, removed if the event is refused. */
export interface NoteStore {
  ids(seed: unknown, key: string | undefined): (i: number) => string;
  write(models: Models, notes: StaffNote[]): Promise<void>;
  remove(models: Models, ids: string[]): Promise<void>;
}

/** A refusal (no such case, a state that refuses it, a bad field) means the event will never name its notes. */
const refused = (err: unknown) => [400, 404, 409].includes(toHttpError(err).status);

/** A process's events, one per row of its table, in the table's order. */
export function caseEvents<S, T extends EventRows<S>>(
  rows: T,
  opts: { checks?: { [K in keyof T]?: EventCheck<z.output<T[K]['body']>> }; notes?: NoteStore } = {},
): CaseEvent<S>[] {
  const updates = updatesOf<S, T>(rows);
  return Object.entries(rows).map(([path, row]) => {
    const update = updates[path];
    const check = opts.checks?.[path];
    return {
      path,
      title: row.title,
      summary: row.summary,
      body: row.body,
      revives: !!row.revives,
      roles: row.roles,
      async send(cases, reference, req) {
        if (!callerHolds(req, row.roles)) throw new HttpError(403, 'forbidden', `${row.title}: only ${row.roles.join(', ')} may send it`);
        assertJsonBody(req);
        const parsed = row.body.safeParse(req.body);
        if (!parsed.success) throw fromZodError(parsed.error, 'body');
        const actor: Actor = actorOf(req);
        const key = idempotencyKey(req);
        await check?.(parsed.data, { models: cases.deps.models, reference });
        if (!row.notes) return cases.event(reference, update, { ...parsed.data, actor }, { idempotencyKey: key, revives: !!row.revives });
        const send = (input: object) => cases.event(reference, update, { ...input, actor }, { idempotencyKey: key });
        return withNotes(cases, { reference, path, row, body: parsed.data, actor, key, send }, opts.notes);
      },
    };
  });
}

/**
 * An event that carries staff notes: the texts are stored in MongoDB first and the Update takes
 * their ids, so no text enters the workflow's history or state. A refused event removes the notes
 * it stored: nothing half-written.
 */
async function withNotes<S, R extends CaseRecord>(
  cases: Cases<R, S>,
  { reference, path, row, body, actor, key, send }: { reference: string; path: string; row: EventRows<S>[string]; body: unknown; actor: Actor; key?: string; send: (input: object) => Promise<{ record: R; live: S }> },
  store?: NoteStore,
) {
  if (!store) throw new Error(`the event ${path} carries notes: its process's events need a NoteStore`);
  const { models } = cases.deps;
  await cases.record(reference); // 404 before anything is written
  // Whose request it is, in the ids too: the same key and body from someone else writes (and on
  // refusal removes) notes of its own, never another's.
  const { input, notes } = row.notes!(body, store.ids({ path, reference, body, by: actor.id }, key));
  await store.write(models, notes);
  try {
    return await send(input);
  } catch (err) {
    if (refused(err)) await store.remove(models, notes.map((n) => n._id)).catch(() => undefined);
    throw err;
  }
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
