import { randomBytes } from 'node:crypto';
import cors from 'cors';
import type express from 'express';
import helmet from 'helmet';

/**
 * Security headers (helmet), and CORS closed unless origins are configured: a page on another site
 * cannot call the API. The pages' one inline script (the design system's template marks the body
 * as having JavaScript) runs by a nonce made for each response; nothing else inline runs.
 */
export function setUpSecurityHeaders(app: express.Express, corsOrigins: string[] = []): void {
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce as string}'`],
          // TLS is the proxy's (with HSTS); a local run on http must still post its forms.
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  if (corsOrigins.length) app.use(cors({ origin: corsOrigins, allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'] }));
}
