import type { Client } from '@temporalio/client';
import express from 'express';
import type { Logger } from '../lib/logger';
import type { Models } from '../models';
import { mountWeb } from '../web/mount';
import type { PageSignIn } from '../web/oidc';
import { tokenRevocations } from './auth/revocations';
import type { Authenticator } from './auth/tokens';
import { errorHandler, notFoundRoute } from './errors';
import { apiDocument, mountApi, type RetentionYears } from './mount';
import { createReferenceData, type ReferenceData } from './reference-data';
import type { TermKey } from './search/term-hash';
import { createServices } from './services';
import { setUpAuthentication } from './setup/authentication';
import { setUpLogging } from './setup/logging';
import { setUpSecurityHeaders } from './setup/security-headers';
import { StaffDirectory } from './staff/service';
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
  /** The largest document kept with a case (config DOCUMENT_MAX_BYTES; 25 MB). */
  documentMaxBytes?: number;
  /** The body the KO41a return is made for (config ORGANISATION_CODE, ORGANISATION_NAME). */
  organisation?: { code: string | null; name: string | null };
  /** Years a complaint's documents are kept after closure (config RETENTION_COMPLAINT_YEARS; 10). */
  retentionComplaintYears?: number;
  /** Years the other processes' documents are kept after they finished (config RETENTION_<P>_YEARS; unset: kept). */
  retentionYears?: RetentionYears;
  /**
   * Take over import runs whose API process died, at start and each minute (the API's process; tests
   * leave it off), until the signal aborts: the API closing, in a process that goes on (npm start, a bench).
   */
  resumeImports?: { until: AbortSignal };
  /** The key searches' terms are hashed under in the audit trail (startApi's: from the codec key; else one of the app's own). */
  searchTermKey?: TermKey;
}


/**
 * The composition root: the services built once, then the API's routers and the pages mounted
 * side by side over them, each route behind its own line of the permission matrix.
 */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Paths as the permission matrix spells them: /API/x is no route here, nor /api/x/ (auth/routes.ts).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  // A token signed out on the pages is refused by the API and the pages alike (see auth/revocations.ts).
  const authenticator = deps.authenticator.withRevocations(tokenRevocations(deps.models.RevokedToken));
  // Whoever a verified token names goes into the staff directory (api/staff), for the pickers and the mailer.
  const guard = { authenticator, models: deps.models, logger: deps.logger, staff: StaffDirectory.over(deps.models, deps.logger) };
  setUpLogging(app, deps.logger);
  setUpSecurityHeaders(app, deps.corsOrigins);
  setUpAuthentication(app, guard, deps.rateLimitPerMinute);

  const calls = new TemporalCalls(deps.temporal, deps.temporalDeadlines ?? DEFAULT_TEMPORAL_DEADLINES);
  const services = createServices({ ...deps, referenceData: deps.referenceData ?? createReferenceData(deps.models), calls });
  if (deps.resumeImports) services.imports.watch(deps.resumeImports.until);
  const openapi = apiDocument(deps.models);
  mountApi(app, { services, models: deps.models, temporal: deps.temporal, taskQueue: deps.taskQueue, calls, openapi, codecOrigins: deps.codecOrigins, retentionComplaintYears: deps.retentionComplaintYears, retentionYears: deps.retentionYears });
  app.use(mountWeb({ services, openapi, guard, secureCookies: deps.secureCookies, pageSignIn: deps.pageSignIn, rateLimitPerMinute: deps.rateLimitPerMinute }));

  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return app;
}
