import { Client } from '@temporalio/client';
import express, { Router } from 'express';
import pinoHttp from 'pino-http';
import { Logger } from '../lib/logger';
import { Models } from '../models';
import type { Actor } from '../workflows/kernel/contract';
import { actionPlansOpenApi } from './action-plans/openapi';
import { mountActionPlans } from './action-plans/mount';
import { adminOpenApi } from './admin/openapi';
import { adminRouter } from './admin/router';
import { AdminService } from './admin/service';
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
import { actingAs } from './kernel/request';
import { reviewsOpenApi } from './reviews/openapi';
import { engagementReportRouter } from './reviews/report';
import { reviewsRouter } from './reviews/router';
import { ReviewService } from './reviews/service';
import { buildOpenApiDocument } from './openapi';
import { createReferenceData, type ReferenceData } from './reference-data';
import { DEFAULT_TEMPORAL_DEADLINES, TemporalCalls, type TemporalDeadlines } from './temporal';

export interface AppDeps {
  models: Models;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  temporalDeadlines?: TemporalDeadlines;
  /** Who acts on every request until sign-in exists (config LOCAL_ACTOR_*). */
  actor?: Actor;
  /** Providers and closure days, cached (see reference-data.ts); tests pass their own. */
  referenceData?: ReferenceData;
}

export const DEFAULT_LOCAL_ACTOR: Actor = { id: 'local', name: 'Local user', role: 'quality_team' };

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // A line per request at info; below that level nothing per request is logged, so no
  // per-request logger is built either (errors still are: see errorHandler).
  if (deps.logger.isLevelEnabled('info')) {
    app.use(pinoHttp({ logger: deps.logger, autoLogging: { ignore: (req) => req.url === '/healthz' } }));
  }
  app.use(express.json({ limit: '100kb' }));
  app.use(actingAs(deps.actor ?? DEFAULT_LOCAL_ACTOR));

  // One cache per app: a closure day changed here is seen by the next case opened here.
  const referenceData = deps.referenceData ?? createReferenceData(deps.models);
  const openapi = buildOpenApiDocument([complaintsOpenApi(), reviewsOpenApi(), closureDaysOpenApi(), reportsOpenApi(), adminOpenApi(),
    actionPlansOpenApi()]);
  const docs = Router();
  docs.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  // One bound on every call to Temporal, for every router (see temporal.ts).
  const calls = new TemporalCalls(deps.temporal, deps.temporalDeadlines ?? DEFAULT_TEMPORAL_DEADLINES);
  app.use(methodNotAllowed(docs));
  app.use(methodNotAllowed(healthRouter({ db: deps.models.connection, temporal: deps.temporal })));
  app.use('/api/complaints', methodNotAllowed(complaintsRouter(new ComplaintService({ ...deps, referenceData, calls }))));
  const reviews = new ReviewService({ ...deps, calls });
  app.use('/api/reviews', methodNotAllowed(reviewsRouter(reviews)));
  app.use('/api/reports/engagement', methodNotAllowed(engagementReportRouter(reviews)));
  app.use('/api/closure-days', methodNotAllowed(closureDaysRouter(new ClosureDayService(deps.models, referenceData))));
  app.use('/api/reports', methodNotAllowed(reportsRouter(new ReportService(deps.models))));
  app.use('/api/admin', methodNotAllowed(adminRouter(new AdminService(deps.models, calls, deps.taskQueue))));
  mountActionPlans(app, { ...deps, referenceData, calls });

  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return app;
}
