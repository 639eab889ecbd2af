import type {} from 'pino-http';
import { isGrpcDeadlineError, isGrpcServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { isDatabaseUnavailable } from '../models/connection';
import { CASE_STATE_CONFLICT } from '../workflows/complaint/definitions';

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

function temporalUnavailable(err: unknown): boolean {
  if (isGrpcDeadlineError(err)) return true;
  const grpc = isGrpcServiceError(err) ? err : isGrpcServiceError((err as Error)?.cause) ? (err as Error).cause : undefined;
  // UNAVAILABLE (14), DEADLINE_EXCEEDED (4), or a connection that could not be made at all.
  if (grpc && [4, 14].includes((grpc as { code?: number }).code ?? -1)) return true;
  return err instanceof Error && /connect|transport|UNAVAILABLE|Deadline exceeded/i.test(err.message);
}

/** Map what went wrong to a status: the client's mistakes are never a 500. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof ZodError) return fromZodError(err, 'body');
  if (err instanceof WorkflowNotFoundError) return new HttpError(404, 'not_found', 'no such case');
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type === CASE_STATE_CONFLICT) {
      return new HttpError(409, 'conflict', cause.message);
    }
    return new HttpError(409, 'conflict', cause?.message ?? err.message);
  }
  if (isDatabaseUnavailable(err) || (err instanceof Error && /buffering timed out/.test(err.message))) {
    return new HttpError(503, 'unavailable', 'the database is unreachable; try again shortly');
  }
  if (temporalUnavailable(err)) {
    return new HttpError(503, 'unavailable', 'the workflow service is unreachable; try again shortly');
  }
  return new HttpError(500, 'internal', 'internal error');
}

export const notFoundRoute: RequestHandler = (req) => {
  throw new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`);
};

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  // Body-parser's own errors carry a status: malformed JSON is the client's.
  const status = (err as { status?: number; type?: string }).status;
  const http =
    status && status >= 400 && status < 500 && !(err instanceof HttpError)
      ? new HttpError(status, 'bad_request', (err as Error).message, [{ field: 'body', reason: (err as Error).message }])
      : toHttpError(err);
  if (http.status >= 500) req.log?.error({ err }, 'request failed');
  if (http.status === 503) res.setHeader('Retry-After', '5');
  res.status(http.status).json({ error: { code: http.code, message: http.message, details: http.details } });
};
