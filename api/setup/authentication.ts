import express from 'express';
import { authenticate, verifiedSubject, type GuardDeps } from '../auth/middleware';
import { rateLimiter } from '../auth/rate-limit';
import { JSON_BODY_LIMIT, checkJsonBody } from '../validate';
import { utf8Alias, utf8Json } from './body-encoding';

/**
 * The bearer token checked first, for every request (what it may do is its route's check:
 * auth/routes.ts); then the API's rate limit per verified caller (never the raw header, which can
 * be spelled many ways), else per address whatever headers the request carries; its JSON bodies
 * (UTF-8 only, no lone surrogates, at most JSON_MAX_DEPTH deep, and under /api only);
 * and `no-store` on case data, never kept by a browser or a proxy. The pages limit their own, per
 * signed-in person (web/mount.ts).
 */
export function setUpAuthentication(app: express.Express, guard: GuardDeps, rateLimitPerMinute?: number): void {
  app.use(authenticate(guard));
  app.use('/api', rateLimiter(rateLimitPerMinute, (req) => {
    const subject = verifiedSubject(req);
    return subject ? `s:${subject}` : undefined;
  }));
  // JSON for the API only: the pages take forms (web/setup/session.ts), whose fields are strings.
  app.use('/api', utf8Alias, express.json({ limit: JSON_BODY_LIMIT, verify: utf8Json }), checkJsonBody);
  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
}
