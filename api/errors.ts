import type {} from 'pino-http';
import { isGrpcCancelledError, isGrpcDeadlineError, isGrpcServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
import { ZodError } from 'zod';
import { loggedUrl, type Logger } from '../lib/logger';
import { isDatabaseUnavailable } from '../models/connection';
import { CASE_STATE_CONFLICT } from '../contracts/kernel/case';

export interface FieldProblem {
  field: string;
  reason: string;
}

/** The one error type the API throws; the middleware below turns it into a response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldProblem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function badRequest(field: string, reason: string): HttpError {
  return new HttpError(400, 'validation_failed', `${field}: ${reason}`, [{ field, reason }]);
}

export function fromZodError(err: ZodError, location: string): HttpError {
  const details = err.issues.map((issue) => ({
    field: [location, ...issue.path.map(String)].join('.'),
    reason: issue.message,
  }));
  return new HttpError(400, 'validation_failed', details.map((d) => `${d.field}: ${d.reason}`).join('; '), details);
}

/**
 * A path whose percent-encoding does not decode (`%E0%A4%A`, `%ZZ`): the request's fault. Express
 * throws a URIError decoding a route's parameter, as does any decodeURIComponent of the path.
 */
export function malformedPath(): HttpError {
  return new HttpError(400, 'bad_request', 'the path is not valid percent-encoded UTF-8', [{ field: 'path', reason: 'must be valid percent-encoding (UTF-8)' }]);
}

/** True when the path decodes: a route that matched none is still a bad request when it does not. */
export function pathDecodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** Temporal itself did not answer: nothing was done. */
export function temporalUnavailable(): HttpError {
  return new HttpError(503, 'temporal_unavailable', 'the workflow service is unreachable; try again shortly');
}

/** True when Temporal did not answer: the call never reached it, or ran out of time, or was cancelled. */
export function isTemporalUnavailable(err: unknown): boolean {
  if (isGrpcDeadlineError(err) || isGrpcCancelledError(err)) return true;
  const grpc = isGrpcServiceError(err) ? err : isGrpcServiceError((err as Error)?.cause) ? (err as Error).cause : undefined;
  // CANCELLED (1), DEADLINE_EXCEEDED (4), UNAVAILABLE (14), or a connection that could not be made at all.
  if (grpc && [1, 4, 14].includes((grpc as { code?: number }).code ?? -1)) return true;
  return err instanceof Error && /connect|transport|UNAVAILABLE|CANCELLED|Deadline exceeded/i.test(err.message);
}

/** gRPC RESOURCE_EXHAUSTED: Temporal refused a call for a limit, e.g. ten Updates in flight on one workflow. */
function isResourceExhausted(err: unknown): boolean {
  const grpc = isGrpcServiceError(err) ? err : isGrpcServiceError((err as Error)?.cause) ? (err as Error).cause : undefined;
  return (grpc as { code?: number } | undefined)?.code === 8;
}

/** Failure types that say the input, not the case's state, is wrong (an activity's calendar error). */
const INPUT_FAILURES = new Set(['CalendarRangeError', 'CalendarInputError']);

/** The first ApplicationFailure in a failure's cause chain (an Update's, or an activity's under it). */
function applicationFailure(err: unknown): ApplicationFailure | undefined {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof ApplicationFailure) return e;
  return undefined;
}

/**
 * A body parser's refusal (too large, too many fields, a charset or encoding it cannot read,
 * malformed JSON): an Error carrying its own 4xx status. The request's fault, about its body.
 * (Express's URIError carries a 400 too, but it is the path's, not the body's.)
 */
function bodyParserRefusal(err: unknown): HttpError | undefined {
  // http-errors' marks, as body-parser raises them (entity.too.large, parameters.too.many,
  // charset.unsupported …): a 4xx status, and `expose`, which an identity provider's error lacks.
  const { status, expose } = (err ?? {}) as { status?: unknown; expose?: unknown };
  if (!(err instanceof Error) || err instanceof URIError || expose !== true) return undefined;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  return refusedBody(status, err.message);
}

/** A body refused as it was read: too large (413, `too_large`), or otherwise not readable. */
const refusedBody = (status: number, message: string) => new HttpError(status, status === 413 ? 'too_large' : 'bad_request', message, [{ field: 'body', reason: message }]);

/** Map what went wrong to a status: the client's mistakes are never a 500. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const refusal = bodyParserRefusal(err);
  if (refusal) return refusal;
  if (err instanceof ZodError) return fromZodError(err, 'body');
  if (err instanceof URIError) return malformedPath();
  if (err instanceof WorkflowNotFoundError) return new HttpError(404, 'not_found', 'no such case');
  if (err instanceof WorkflowUpdateFailedError) {
    const failure = applicationFailure(err.cause);
    if (failure?.type === CASE_STATE_CONFLICT) return new HttpError(409, 'conflict', failure.message);
    // A date the calendar cannot count from is the request's fault, not the case's state.
    if (failure?.type && INPUT_FAILURES.has(failure.type)) return badRequest('body', failure.message);
    // Anything else (an activity that failed for good, a bug in a handler) is ours, not the case's state.
    return new HttpError(500, 'internal', 'internal error');
  }
  // Before Temporal's: a driver's message ("connection pool … cleared") would read as Temporal's.
  if (isDatabaseUnavailable(err)) {
    // Sent again with the same Idempotency-Key, a create or event that did go through answers as it did.
    return new HttpError(503, 'unavailable', 'the database is unreachable; try again shortly', undefined, { 'Retry-After': '5' });
  }
  if (isTemporalUnavailable(err)) return temporalUnavailable();
  if (isResourceExhausted(err)) {
    // Nothing was done: Temporal admits a few events to a case at a time. Sent again, it is taken.
    return new HttpError(429, 'busy', 'too many events are in flight for this case; retry shortly', undefined, { 'Retry-After': '1' });
  }
  return new HttpError(500, 'internal', 'internal error');
}

/**
 * After a router's routes: a path it serves, asked with a method it does not, answers 405 with
 * the methods it does in `Allow` (HEAD wherever GET is, as Express answers it).
 */
export function methodNotAllowed(router: Router): Router {
  const methods = new Map<string, Set<string>>();
  for (const layer of router.stack) {
    const route = layer.route as { path: string; methods: Record<string, boolean> } | undefined;
    if (!route) continue;
    const allowed = methods.get(route.path) ?? new Set<string>();
    for (const [method, on] of Object.entries(route.methods)) if (on) allowed.add(method.toUpperCase());
    if (allowed.has('GET')) allowed.add('HEAD');
    methods.set(route.path, allowed);
  }
  for (const [path, allowed] of methods) {
    const allow = [...allowed].sort().join(', ');
    router.all(path, (req) => {
      throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allow}`, undefined, { Allow: allow });
    });
  }
  return router;
}

export const notFoundRoute: RequestHandler = (req) => {
  if (!pathDecodes(req.path)) throw malformedPath();
  throw new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`);
};

/** The one error middleware; failures of ours (5xx) are logged, with the request's logger when it has one. */
export const errorHandler = (logger: Logger): ErrorRequestHandler => (err, req, res, _next) => {
  // Body-parser's own errors carry a status: malformed JSON is the client's. (Express's URIError
  // carries a 400 too, but it is the path's, not the body's.)
  const status = (err as { status?: number }).status;
  const http =
    status && status >= 400 && status < 500 && !(err instanceof HttpError) && !(err instanceof URIError)
      ? refusedBody(status, (err as Error).message)
      : toHttpError(err);
  if (http.status >= 500) (req.log ?? logger).error({ err, method: req.method, url: loggedUrl(req.originalUrl) }, 'request failed');
  if (http.status === 503) res.setHeader('Retry-After', '5');
  for (const [name, value] of Object.entries(http.headers)) res.setHeader(name, value);
  res.status(http.status).json({ error: { code: http.code, message: http.message, details: http.details } });
};
