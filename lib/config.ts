import { z } from 'zod';
import { checkCodecKeys } from './codec-keys';

/**
 * The environment variables the API, the worker and `npm start` read. Anything
 * unset falls back to the embedded local stack that `npm start` runs.
 * docker-compose.yml sets the same names (tests/compose.test.ts checks it).
 */
/**
 * The ports of the local stack: what `npm start` (scripts/start.ts) binds whatever it is told,
 * and where the defaults below look for its database, Temporal and mail relay.
 */
export const LOCAL_PORTS = { mongodb: 27017, temporal: 7233, temporalUi: 8233, smtp: 1025, mailUi: 8025 } as const;

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  MONGODB_URI: z.string().min(1).optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('oversight'),
  /** Longest an API request waits on Temporal for a start or an event before answering 503. */
  TEMPORAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Longest a case view waits for its live state (a Temporal Query) before answering from the read
   * model alone (0: never asks). At most 150 ms: a view never waits on a busy worker.
   */
  LIVE_STATE_BUDGET_MS: z.coerce.number().int().min(0).max(150).default(150),
  /** The address the API listens on: loopback for local runs, all interfaces in a container. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Sign-in: the tokens' issuer and audience; an OIDC issuer's JWKS (Entra ID) in production. */
  AUTH_ISSUER: z.string().min(1).default('oversight-local'),
  AUTH_AUDIENCE: z.string().min(1).default('oversight-api'),
  AUTH_JWKS_URL: z.url().optional(),
  /** Without a JWKS: the local signing key, generated here once (npm run token signs with it). */
  AUTH_LOCAL_KEY_FILE: z.string().min(1).default('.data/auth/local-signing-key.json'),
  /** The claim listing the caller's roles (Entra ID app roles: roles). */
  AUTH_ROLES_CLAIM: z.string().min(1).default('roles'),
  /**
   * The pages' sign-in through the OIDC provider (with AUTH_JWKS_URL): the app registration's
   * client id and secret, the scopes that get an access token for the API (Entra ID:
   * `openid profile api://oversight/access`), or a resource indicator for providers that take
   * one, and the address browsers reach the pages at (the callback is PUBLIC_URL/sign-in/callback).
   */
  AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  AUTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  AUTH_OIDC_SCOPE: z.string().min(1).default('openid profile'),
  AUTH_OIDC_RESOURCE: z.string().min(1).optional(),
  PUBLIC_URL: z.url().optional(),
  /** The pages' session cookie only over HTTPS: on behind TLS (compose sets it), off for a local http run. */
  COOKIE_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Origins a browser may call the API from, comma-separated; none by default (CORS closed). */
  CORS_ORIGINS: z.string().default(''),
  /** Requests a minute per token. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  DOCUMENT_MAX_BYTES: z.coerce.number().int().min(1_000).max(1_000_000_000).default(25_000_000),
  /** The body the KO41a return is made for: its ODS code and name, as section 1 of the return gives them. */
  ORGANISATION_CODE: z.string().trim().regex(/^[A-Z0-9]{3,5}$/, 'must be an ODS code such as QKK').optional(),
  ORGANISATION_NAME: z.string().trim().min(1).max(200).optional(),
  /** Years a complaint's documents are kept after closure before the retention run removes them (NHS Records Management Code of Practice: 10). */
  RETENTION_COMPLAINT_YEARS: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Years a visit's, a review's and an action plan's documents are kept after the case finished.
   * The Code gives no period this service can cite for them: unset, the retention run removes none.
   */
  RETENTION_VISIT_YEARS: z.coerce.number().int().min(1).max(100).optional(),
  RETENTION_REVIEW_YEARS: z.coerce.number().int().min(1).max(100).optional(),
  RETENTION_ACTION_PLAN_YEARS: z.coerce.number().int().min(1).max(100).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * The keys Temporal payloads are encrypted with (lib/codec-keys.ts): every key a history may
   * still need, and the one new payloads use. Unset, `npm start` makes a local key in .data/;
   * the API and the worker refuse to start without them.
   */
  TEMPORAL_CODEC_KEYS: z.string().min(1).optional(),
  TEMPORAL_CODEC_KEY_ID: z.string().min(1).optional(),
  /**
   * The worker (worker only; docs/performance.md has the measurements behind the defaults): what it
   * runs (`all`; or `workflows`, with their local activities, and `activities` in processes of
   * their own, on the same task queue, so a backlog of writes never holds up workflow tasks and
   * Queries), how many workflows it keeps in memory between tasks (a miss replays the history),
   * how many workflow tasks it works at once (a Query waits behind those already taken), and how
   * many activities it runs at once.
   */
  WORKER_ROLE: z.enum(['all', 'workflows', 'activities']).default('all'),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(1_000_000).default(1_000),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(1).max(10_000).default(40),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(100),
  /** The Temporal UI's origin(s), comma-separated, allowed to call the codec endpoint from a browser (API only). */
  TEMPORAL_UI_ORIGIN: z.string().min(1).optional(),
}).superRefine((config, ctx) => {
  if (!config.AUTH_JWKS_URL && !isLoopback(config.HOST)) {
    // The local sign-in lets whoever reaches the pages pick any name and role: for a run on this machine only.
    ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: `is needed to listen on ${config.HOST}: without it the local sign-in lets anyone who reaches the pages pick any role (set AUTH_JWKS_URL to the identity provider's keys, or HOST to 127.0.0.1)` });
  }
  if (!config.TEMPORAL_CODEC_KEYS && !config.TEMPORAL_CODEC_KEY_ID) return;
  if (!config.TEMPORAL_CODEC_KEYS || !config.TEMPORAL_CODEC_KEY_ID) {
    ctx.addIssue({ code: 'custom', path: [config.TEMPORAL_CODEC_KEYS ? 'TEMPORAL_CODEC_KEY_ID' : 'TEMPORAL_CODEC_KEYS'], message: 'TEMPORAL_CODEC_KEYS and TEMPORAL_CODEC_KEY_ID are set together' });
    return;
  }
  try {
    checkCodecKeys({ TEMPORAL_CODEC_KEYS: config.TEMPORAL_CODEC_KEYS, TEMPORAL_CODEC_KEY_ID: config.TEMPORAL_CODEC_KEY_ID });
  } catch (err) {
    ctx.addIssue({ code: 'custom', path: ['TEMPORAL_CODEC_KEYS'], message: err instanceof Error ? err.message : String(err) });
  }
});

export type Config = z.infer<typeof configSchema>;

/**
 * What the mailer (mailer/main.ts) reads besides the database: the SMTP relay, the role
 * mailboxes and how it retries. The API and the worker read none of it.
 */
export const mailConfigSchema = z.object({
  MONGODB_URI: z.string().min(1).optional(),
  LOG_LEVEL: configSchema.shape.LOG_LEVEL,
  /** The SMTP relay the mailer sends through (npm start: the local mail catcher). */
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(LOCAL_PORTS.smtp),
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the relay offers it. */
  SMTP_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Refuse to send unless the relay offers STARTTLS (a real relay: true). */
  SMTP_REQUIRE_TLS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).default('Oversight <oversight@localhost>'),
  /** Where links in emails point: the web address staff open cases at. */
  MAIL_BASE_URL: z.url().default('http://localhost:3000'),
  /** minimal: the reference and a link only (the default, for ordinary mail); full: more, for a secure relay. */
  MAIL_DETAIL: z.enum(['minimal', 'full']).default('minimal'),
  /** Role mailboxes, comma-separated addresses; a role with none is reported, never dropped silently. */
  MAIL_QUALITY_LEAD: z.string().optional(),
  MAIL_CASE_OFFICER: z.string().optional(),
  MAIL_SAFEGUARDING_LEAD: z.string().optional(),
  /** The CQRG chair when a provider has none of its own in reference data. */
  MAIL_CQRG_CHAIR: z.string().optional(),
  /** Attempts before a row that keeps failing is parked. */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** How long a claimed row is the claimer's: after it, another dispatcher may send it again. */
  MAIL_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
  MAIL_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(5_000),
  /** The pause after a row's first failed send, doubled after each further failure, at most an hour. */
  MAIL_RETRY_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
});

/** An address only this machine reaches: 127.0.0.0/8, ::1, localhost. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export type MailConfig = z.infer<typeof mailConfigSchema>;

export const MAIL_CONFIG_VARIABLES = Object.keys(mailConfigSchema.shape) as (keyof MailConfig)[];

export function loadMailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig {
  return parseConfig(mailConfigSchema, env);
}

export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as (keyof Config)[];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseConfig(configSchema, env);
}

function parseConfig<T extends z.ZodObject>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** Connection settings once the embedded defaults have been filled in. */
export interface ResolvedConfig extends Config {
  MONGODB_URI: string;
  TEMPORAL_ADDRESS: string;
}

/**
 * The local FerretDB, each process's driver pool bounded to 8 connections (the driver's default is
 * 100): FerretDB opens a SQLite connection for each request it serves at once and keeps the memory
 * each took, so its memory followed the most requests a storm ever sent at once (up to 48 in the
 * soak); SQLite writes one at a time, so more buys nothing. See docs/performance.md (the soak).
 */
export const DEFAULT_MONGODB_URI = `mongodb://127.0.0.1:${LOCAL_PORTS.mongodb}/oversight?maxPoolSize=8`;
export const DEFAULT_TEMPORAL_ADDRESS = `127.0.0.1:${LOCAL_PORTS.temporal}`;

export function resolveConfig(config: Config = loadConfig()): ResolvedConfig {
  return {
    ...config,
    MONGODB_URI: config.MONGODB_URI ?? DEFAULT_MONGODB_URI,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS ?? DEFAULT_TEMPORAL_ADDRESS,
  };
}
