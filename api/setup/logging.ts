import type express from 'express';
import pinoHttp from 'pino-http';
import { loggedUrl, type Logger } from '../../lib/logger';
import { accessDecision } from '../auth/middleware';

/**
 * A line per request at info, with what the route's check decided (who, in which role, allowed or
 * refused); below that level nothing per request is logged, so no per-request logger is built
 * either (errors still are: see errors.ts errorHandler).
 */
export function setUpLogging(app: express.Express, logger: Logger): void {
  if (!logger.isLevelEnabled('info')) return;
  app.use(
    pinoHttp({
      logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      // The path and the query's parameter names only: a query's values may be what a person typed (loggedUrl).
      serializers: {
        req: (req: { url?: string; query?: unknown }) => {
          req.url = loggedUrl(req.url ?? '');
          delete req.query;
          return req;
        },
      },
      customProps: (req) => {
        const access = accessDecision(req as express.Request);
        return access ? { access } : {};
      },
    }),
  );
}
