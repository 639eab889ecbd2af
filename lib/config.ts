import { z } from 'zod';

/**
 * The environment variables the API, the worker and `npm start` read. Anything
 * unset falls back to the embedded local stack that `npm start` runs.
 * docker-compose.yml sets the same names (tests/compose.test.ts checks it).
 */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  MONGODB_URI: z.string().min(1).optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('oversight'),
  /** Longest an API request waits on Temporal for a start or an event before answering 503. */
  TEMPORAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Longest a read waits for a case's live state before answering without it. */
  TEMPORAL_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(3_000),
  /** Who the API records as acting on every event, until sign-in says who it is. */
  LOCAL_ACTOR_ID: z.string().trim().min(1).max(100).default('local'),
  LOCAL_ACTOR_NAME: z.string().trim().min(1).max(200).default('Local user'),
  LOCAL_ACTOR_ROLE: z.string().trim().min(1).max(50).default('quality_team'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as (keyof Config)[];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
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

export const DEFAULT_MONGODB_URI = 'mongodb://127.0.0.1:27017/oversight';
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

export function resolveConfig(config: Config = loadConfig()): ResolvedConfig {
  return {
    ...config,
    MONGODB_URI: config.MONGODB_URI ?? DEFAULT_MONGODB_URI,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS ?? DEFAULT_TEMPORAL_ADDRESS,
  };
}
