import type { Request, RequestHandler } from 'express';
import type { Actor } from '../../workflows/kernel/contract';
import { badRequest } from '../errors';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,200}$/;

/** The request's Idempotency-Key, if it sent one that is well formed. */
export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw badRequest('header.Idempotency-Key', 'must be 8-200 characters of A-Z a-z 0-9 . _ : -');
  }
  return key;
}

const ACTORS = new WeakMap<Request, Actor>();

/**
 * Who is acting: set on every request in this one place. Until sign-in exists it is the
 * configured local actor; sign-in will set it from the verified token instead.
 */
export function actingAs(actor: Actor): RequestHandler {
  return (req, _res, next) => {
    ACTORS.set(req, actor);
    next();
  };
}

export function actorOf(req: Request): Actor {
  const actor = ACTORS.get(req);
  if (!actor) throw new Error('no actor on the request: the app mounts actingAs() before its routes');
  return actor;
}
