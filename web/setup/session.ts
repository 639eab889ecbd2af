import cookieParser from 'cookie-parser';
import express, { type Router } from 'express';
import type { GuardDeps } from '../../api/auth/middleware';
import { rateLimiter } from '../../api/auth/rate-limit';
import { utf8Form } from '../../api/setup/body-encoding';
import { principalOf, signedIn } from '../session';

/**
 * What every page request goes through first: `no-store` (pages are personal too: never kept by a
 * browser or a proxy), cookies and form bodies, who is signed in (the header names them, even on
 * "Page not found"), and the rate limit per signed-in person (a team behind one address is many
 * people), else per address.
 */
export function setUpSession(pages: Router, guard: GuardDeps, rateLimitPerMinute?: number): void {
  pages.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  pages.use(cookieParser());
  pages.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 2000, verify: utf8Form }));
  pages.use(async (req, _res, next) => {
    await signedIn(guard, req);
    next();
  });
  pages.use(rateLimiter(rateLimitPerMinute, (req) => {
    const principal = principalOf(req);
    return principal ? `s:${principal.id}` : undefined;
  }));
}
