import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { HttpError } from '../errors';

/**
 * At most `perMinute` requests a minute per caller (`subjectOf`: a verified subject, never a raw
 * header), else per address; past it a 429 with `Retry-After`. The API's and the pages' limits.
 */
export function rateLimiter(perMinute = 600, subjectOf: (req: Request) => string | undefined): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => subjectOf(req) ?? `a:${ipKeyGenerator(req.ip ?? '')}`,
    handler: (_req, _res, next, options) =>
      next(new HttpError(429, 'busy', `more than ${options.limit} requests a minute; try again shortly`, undefined, { 'Retry-After': '60' })),
  });
}
