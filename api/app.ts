import { notificationsOpenApi } from './notifications/openapi';
import { notificationsRouter } from './notifications/router';
import { NotificationService } from './notifications/service';
import { Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import pinoHttp from 'pino-http';
import { Logger } from '../lib/logger';
import { Models } from '../models';
import { actionPlansOpenApi } from './action-plans/openapi';
import { actionPlanServices, mountActionPlans } from './action-plans/mount';
import { mountWeb } from '../web/mount';
import type { PageSignIn } from '../web/oidc';
import { adminOpenApi } from './admin/openapi';
import { adminRouter } from './admin/router';
import { AdminService } from './admin/service';
import { codecCors, codecOpenApi, codecRouter } from './codec/router';
import { closureDaysOpenApi } from './closure-days/openapi';
import { closureDaysRouter } from './closure-days/router';
import { ClosureDayService } from './closure-days/service';
import { complaintsOpenApi } from './complaints/openapi';
import { complaintsRouter } from './complaints/router';
import { ComplaintService } from './complaints/service';
import { errorHandler, methodNotAllowed, notFoundRoute } from './errors';
import { healthRouter } from './health/router';
import { reportsOpenApi } from './reports/openapi';
import { reportsRouter } from './reports/router';
import { ReportService } from './reports/service';
import { reviewsOpenApi } from './reviews/openapi';
import { engagementReportRouter } from './reviews/report';
import { reviewsRouter } from './reviews/router';
import { ReviewService } from './reviews/service';
import { visitsOpenApi } from './visits/openapi';
import { visitsRouter } from './visits/router';
import { VisitService } from './visits/service';
import { buildOpenApiDocument } from './openapi';
import { auditOpenApi, auditRouter } from './audit/router';
import { accessDecision, authenticate, verifiedSubject } from './auth/middleware';
import { rateLimiter } from './auth/rate-limit';
import { tokenRevocations } from './auth/revocations';
import { openRouter } from './auth/routes';
import type { Authenticator } from './auth/tokens';
import { createReferenceData, type ReferenceData } from './reference-data';
import { DEFAULT_TEMPORAL_DEADLINES, TemporalCalls, type TemporalDeadlines } from './temporal';

export interface AppDeps {
  models: Models;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  temporalDeadlines?: TemporalDeadlines;
  /** Verifies the bearer token every /api route but the public ones needs (see auth/). */
  authenticator: Authenticator;
  /** Origins a browser may call the API from (CORS); none by default. */
  corsOrigins?: string[];
  /** Requests a minute per token (per address without one); 600 by default. */
  rateLimitPerMinute?: number;
  /** Providers and closure days, cached (see reference-data.ts); tests pass their own. */
  referenceData?: ReferenceData;
  /** Origins of the Temporal UI allowed to call the codec endpoint from a browser (config TEMPORAL_UI_ORIGIN). */
  codecOrigins?: string[];
  /** Session cookies only over HTTPS (config COOKIE_SECURE; on behind TLS in production). */
  secureCookies?: boolean;
  /** The pages' sign-in through the organisation's OIDC provider (config AUTH_OIDC_*). */
  pageSignIn?: PageSignIn;
}


/** The services the API's routes and the pages both work through: one of each per app. */
export type Services = ReturnType<typeof createServices>;

function createServices(deps: AppDeps & { referenceData: ReferenceData; calls: TemporalCalls }) {
  return {
    complaints: new ComplaintService(deps),
    reviews: new ReviewService(deps),
    visits: new VisitService(deps),
    reports: new ReportService(deps.models),
    actionPlans: actionPlanServices(deps),
    referenceData: deps.referenceData,
  };
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Paths as the permission matrix spells them: /API/x is no route here, nor /api/x/ (auth/routes.ts).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  // A token signed out on the pages is refused by the API and the pages alike (see auth/revocations.ts).
  const authenticator = deps.authenticator.withRevocations(tokenRevocations(deps.models.RevokedToken));
  const guardDeps = { authenticator, models: deps.models, logger: deps.logger };
  // A line per request at info; below that level nothing per request is logged, so no
  // per-request logger is built either (errors still are: see errorHandler).
  if (deps.logger.isLevelEnabled('info')) {
    app.use(
      pinoHttp({
        logger: deps.logger,
        autoLogging: { ignore: (req) => req.url === '/healthz' },
        // The route's check and what it decided (who, in which role), on the request's line.
        customProps: (req) => {
          const access = accessDecision(req as express.Request);
          return access ? { access } : {};
        },
      }),
    );
  }
  // Security headers. The pages' one inline script (the design system's template marks the body
  // as having JavaScript) runs by a nonce made for each response; nothing else inline runs.
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
  // Closed unless origins are configured: a page on another site cannot call the API.
  if (deps.corsOrigins?.length) app.use(cors({ origin: deps.corsOrigins, allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'] }));
  app.use(authenticate(guardDeps));
  // Per verified caller (what authenticate() found: never the raw header, which can be spelled many
  // ways), else per address whatever headers the request carries. The pages limit their own, per
  // signed-in person (web/mount.ts).
  app.use('/api', rateLimiter(deps.rateLimitPerMinute, (req) => {
    const subject = verifiedSubject(req);
    return subject ? `s:${subject}` : undefined;
  }));
  app.use(express.json({ limit: '100kb' }));
  // Case data is personal: never kept by a browser or a proxy.
  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  // One cache per app: a closure day changed here is seen by the next case opened here.
  const referenceData = deps.referenceData ?? createReferenceData(deps.models);
  const openapi = buildOpenApiDocument([complaintsOpenApi(), reviewsOpenApi(), visitsOpenApi(), closureDaysOpenApi(), reportsOpenApi(), notificationsOpenApi(), auditOpenApi(), codecOpenApi(), actionPlansOpenApi(), adminOpenApi()]);
  const docs = openRouter();
  docs.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  // One bound on every call to Temporal, for every router (see temporal.ts).
  const calls = new TemporalCalls(deps.temporal, deps.temporalDeadlines ?? DEFAULT_TEMPORAL_DEADLINES);
  app.use(methodNotAllowed(docs));
  app.use(methodNotAllowed(healthRouter({ db: deps.models.connection, temporal: deps.temporal })));
  const services = createServices({ ...deps, referenceData, calls });
  app.use('/api/complaints', methodNotAllowed(complaintsRouter(services.complaints)));
  app.use('/api/reviews', methodNotAllowed(reviewsRouter(services.reviews)));
  app.use('/api/reports/engagement', methodNotAllowed(engagementReportRouter(services.reviews)));
  app.use('/api/closure-days', methodNotAllowed(closureDaysRouter(new ClosureDayService(deps.models, referenceData))));
  app.use('/api/reports', methodNotAllowed(reportsRouter(services.reports)));
  app.use('/api/notifications', methodNotAllowed(notificationsRouter(new NotificationService(deps.models))));
  app.use('/api/audit', methodNotAllowed(auditRouter(deps.models)));
  app.use('/api/admin', methodNotAllowed(adminRouter(new AdminService(deps.models, calls, deps.taskQueue))));
  app.use('/api/visits', methodNotAllowed(visitsRouter(services.visits)));
  app.use('/api/codec', codecCors(new Set(deps.codecOrigins ?? [])), methodNotAllowed(codecRouter({ codecs: deps.temporal.options.loadedDataConverter.payloadCodecs })));
  mountActionPlans(app, services.actionPlans);
  // The pages: over the same services, answering to the same permission table.
  app.use(mountWeb({ services, openapi, authenticator, models: deps.models, logger: deps.logger, secureCookies: deps.secureCookies, pageSignIn: deps.pageSignIn, rateLimitPerMinute: deps.rateLimitPerMinute }));

  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return app;
}
