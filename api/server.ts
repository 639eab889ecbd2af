import { once } from 'node:events';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ResolvedConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createDataConverter, requireCodecKeys } from '../lib/payload-codec';
import { createModels, ensureIndexes } from '../models';
import { connectDatabase } from '../models/connection';
import { createApp } from './app';
import { Authenticator } from './auth/tokens';
import { searchTermKey } from './search/term-hash';
import { PageSignIn } from '../web/oidc';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** Sign-in settings from configuration: the issuer's JWKS when given, else the local key. */
export function authSettings(config: ResolvedConfig) {
  return {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    jwksUrl: config.AUTH_JWKS_URL,
    localKeyFile: path.resolve(config.AUTH_LOCAL_KEY_FILE),
    rolesClaim: config.AUTH_ROLES_CLAIM,
  };
}

/** The pages' sign-in through the OIDC provider, when a client is configured for it. */
export function pageSignIn(config: ResolvedConfig): PageSignIn | undefined {
  if (!config.AUTH_OIDC_CLIENT_ID) return undefined;
  if (!config.AUTH_JWKS_URL) throw new Error('AUTH_OIDC_CLIENT_ID needs AUTH_JWKS_URL: the pages sign in through the provider whose tokens the API verifies');
  if (!config.PUBLIC_URL) throw new Error('AUTH_OIDC_CLIENT_ID needs PUBLIC_URL, the address browsers reach the pages at (the callback is PUBLIC_URL/sign-in/callback)');
  return new PageSignIn({
    issuer: config.AUTH_ISSUER,
    clientId: config.AUTH_OIDC_CLIENT_ID,
    clientSecret: config.AUTH_OIDC_CLIENT_SECRET,
    scope: config.AUTH_OIDC_SCOPE,
    resource: config.AUTH_OIDC_RESOURCE,
    publicUrl: config.PUBLIC_URL,
  });
}

export async function startApi(config: ResolvedConfig): Promise<RunningApi> {
  const logger = createLogger(config.LOG_LEVEL, 'api');
  // First, so an API without keys stops before it connects to anything.
  const dataConverter = createDataConverter(config);
  const db = await connectDatabase(config.MONGODB_URI);
  const models = createModels(db);
  await ensureIndexes(models);
  // Lazy: the API starts (and answers 503) while Temporal is still coming up.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const temporalDeadlines = { timeoutMs: config.TEMPORAL_TIMEOUT_MS, liveBudgetMs: config.LIVE_STATE_BUDGET_MS };
  const authenticator = await Authenticator.create(authSettings(config));
  const corsOrigins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  const codecOrigins = config.TEMPORAL_UI_ORIGIN?.split(',').map((o) => o.trim()).filter(Boolean);
  const closing = new AbortController();
  const app = createApp({
    models,
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    logger,
    temporalDeadlines,
    authenticator,
    corsOrigins,
    codecOrigins,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    documentMaxBytes: config.DOCUMENT_MAX_BYTES,
    organisation: { code: config.ORGANISATION_CODE ?? null, name: config.ORGANISATION_NAME ?? null },
    retentionComplaintYears: config.RETENTION_COMPLAINT_YEARS,
    retentionYears: { visit: config.RETENTION_VISIT_YEARS, review: config.RETENTION_REVIEW_YEARS, actionPlan: config.RETENTION_ACTION_PLAN_YEARS },
    secureCookies: config.COOKIE_SECURE,
    pageSignIn: pageSignIn(config),
    resumeImports: { until: closing.signal },
    searchTermKey: searchTermKey(requireCodecKeys(config)),
  });
  const server = app.listen(config.PORT, config.HOST);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, 'api listening');
  return {
    url: `http://localhost:${port}`,
    async close() {
      closing.abort(); // background work first: it would outlive the database it uses
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      await connection.close();
      await db.close();
    },
  };
}
