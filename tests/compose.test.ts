/**
 * Static checks of the container setup: docker-compose.yml and the Dockerfile must
 * agree with what the code reads (lib/config.ts) and builds (tsconfig.build.json).
 * No Docker is needed: a wrong variable name, host or entry point fails here rather
 * than as a silently misconfigured container.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { generateCodecKeys } from '../lib/codec-keys';
import { CONFIG_VARIABLES, loadConfig, loadMailConfig, MAIL_CONFIG_VARIABLES } from '../lib/config';

const root = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: string | { context?: string };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  ports?: (string | number | { target?: number })[];
  volumes?: string[];
}

// `merge: true` resolves the `<<: *anchor` keys that share settings between services.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const service = (name: string): Service => services[name] ?? {};

/** Secrets compose takes from the shell only (`${NAME:?message}`): here, as an operator would set them. */
const shell: Record<string, string> = { ...generateCodecKeys('compose-test'), MONGO_ROOT_PASSWORD: 'root-secret', MONGO_APP_PASSWORD: 'app-secret' };

/** A service's environment as written in the file, before any substitution. */
function rawEnvOf(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)])
    : Object.entries(env).map(([key, value]) => [key, value == null ? '' : String(value)]);
  return Object.fromEntries(entries);
}

/** A service's environment as strings, from either the map or the KEY=VALUE list form. */
function envOf(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)])
    : Object.entries(env).map(([key, value]) => [key, value == null ? '' : String(value)]);
  // As compose reads it with nothing set in the shell: `${NAME:-default}` is the default.
  return Object.fromEntries(
    entries.map(([key, value]) => [
      key,
      value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1').replace(/\$\{([A-Z_]+):\?[^}]*\}/g, (_, name: string) => shell[name] ?? ''),
    ]),
  );
}

function dependsOn(name: string): Record<string, string | undefined> {
  const deps = service(name).depends_on ?? [];
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([d, spec]) => [d, spec?.condition]));
}

/** Dockerfile instructions grouped by stage, continuation lines joined, comments dropped. */
function dockerfileStages(): { from: string; instructions: { op: string; args: string }[] }[] {
  const lines = read('Dockerfile').replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  const stages: { from: string; instructions: { op: string; args: string }[] }[] = [];
  for (const line of lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') stages.push({ from: args, instructions: [] });
    else stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

const stages = dockerfileStages();
const finalStage = stages.at(-1)!;
const stageNames = stages.map((s) => /\sAS\s+(\S+)/i.exec(s.from)?.[1]).filter(Boolean);

/** An image reference is pinned when it names a tag other than `latest`, or a digest. */
function isPinned(ref: string): boolean {
  if (ref.includes('@sha256:')) return true;
  const lastPart = ref.split('/').at(-1)!;
  const tag = lastPart.includes(':') ? lastPart.split(':').at(-1) : undefined;
  return !!tag && tag !== 'latest';
}

const asArgv = (command: string | string[]) =>
  Array.isArray(command) ? command : command.startsWith('[') ? (JSON.parse(command) as string[]) : command.split(/\s+/);

// Where tsc writes each source file, from tsconfig.build.json itself (extends resolved).
const buildConfig = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.build.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); },
})!;

const APP_SERVICES = ['api', 'worker', 'mailer'] as const;
/** The Temporal processes, which share settings; the mailer reads its own (lib/config.ts mailConfigSchema). */
const TEMPORAL_SERVICES = ['api', 'worker'] as const;
// Only the API listens for HTTP, bounds its requests' waits on Temporal and says who is acting;
// the worker reads every other variable.
const HTTP_ONLY: readonly string[] = [
  'PORT',
  'HOST',
  'TEMPORAL_TIMEOUT_MS',
  'LIVE_STATE_BUDGET_MS',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_JWKS_URL',
  'AUTH_LOCAL_KEY_FILE',
  'AUTH_ROLES_CLAIM',
  'CORS_ORIGINS',
  'RATE_LIMIT_PER_MINUTE',
  'DOCUMENT_MAX_BYTES',
  'RETENTION_COMPLAINT_YEARS',
  'RETENTION_VISIT_YEARS',
  'RETENTION_REVIEW_YEARS',
  'RETENTION_ACTION_PLAN_YEARS',
  'TEMPORAL_UI_ORIGIN',
  'ORGANISATION_CODE',
  'ORGANISATION_NAME',
  'COOKIE_SECURE',
  'AUTH_OIDC_CLIENT_ID',
  'AUTH_OIDC_CLIENT_SECRET',
  'AUTH_OIDC_SCOPE',
  'AUTH_OIDC_RESOURCE',
  'PUBLIC_URL',
];
// Only the worker is sized and given its role.
const WORKER_ONLY: readonly string[] = ['WORKER_ROLE', 'WORKER_MAX_CACHED_WORKFLOWS', 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', 'WORKER_MAX_CONCURRENT_ACTIVITIES'];
// Settings compose leaves out on purpose: Entra ID is asked for the API's token by scope, and it
// refuses the resource indicator other providers take (the comment in compose says so).
// The other processes' retention periods too: the Code gives none this service can cite, so none is
// assumed (unset keeps their documents) until the records manager sets one (docs/operations.md).
const LEFT_OUT: readonly string[] = ['AUTH_OIDC_RESOURCE', 'RETENTION_VISIT_YEARS', 'RETENTION_REVIEW_YEARS', 'RETENTION_ACTION_PLAN_YEARS'];
const required: Record<(typeof APP_SERVICES)[number], string[]> = {
  api: CONFIG_VARIABLES.filter((v) => !LEFT_OUT.includes(v) && !WORKER_ONLY.includes(v)),
  worker: CONFIG_VARIABLES.filter((v) => !HTTP_ONLY.includes(v) && !LEFT_OUT.includes(v)),
  mailer: [...MAIL_CONFIG_VARIABLES],
};
const known: Record<(typeof APP_SERVICES)[number], string[]> = { api: CONFIG_VARIABLES, worker: CONFIG_VARIABLES, mailer: MAIL_CONFIG_VARIABLES };
const loaders = { api: loadConfig, worker: loadConfig, mailer: loadMailConfig };

describe('docker-compose.yml', () => {
  test('defines the whole production-shaped stack', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'mongodb', 'api', 'worker']),
    );
  });

  test.each(APP_SERVICES)('%s sets every variable it needs, only names the code reads, and valid values', (name) => {
    const env = envOf(name);
    expect(Object.keys(env).sort()).toEqual(expect.arrayContaining(required[name]));
    expect(Object.keys(env).filter((key) => !known[name].includes(key))).toEqual([]);
    for (const key of required[name]) expect(env[key]).not.toBe('');
    expect(() => loaders[name](env)).not.toThrow();
  });

  test('api and worker agree on the shared settings, and the mailer reads the same database', () => {
    const [api, worker, mailer] = APP_SERVICES.map(envOf);
    expect(mailer.MONGODB_URI).toBe(api.MONGODB_URI);
    for (const key of required.worker.filter((k) => !WORKER_ONLY.includes(k))) expect([key, worker[key]]).toEqual([key, api[key]]);
  });

  test.each(TEMPORAL_SERVICES)('%s reaches MongoDB and Temporal by their service names', (name) => {
    const env = envOf(name);
    const mongo = new URL(env.MONGODB_URI);
    expect(mongo.protocol).toBe('mongodb:');
    expect(mongo.hostname).toBe('mongodb');
    expect(mongo.port || '27017').toBe('27017');
    expect(mongo.pathname.slice(1)).not.toBe('');
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(service('temporal').ports?.map(String)).toContainEqual(expect.stringMatching(/:7233$/));
    // auto-setup creates DEFAULT_NAMESPACE; any other namespace would not exist.
    expect(env.TEMPORAL_NAMESPACE).toBe(envOf('temporal').DEFAULT_NAMESPACE ?? 'default');
  });

  test.each(TEMPORAL_SERVICES)('%s takes the codec keys from the environment, never from the file', (name) => {
    const raw = rawEnvOf(name);
    for (const key of ['TEMPORAL_CODEC_KEYS', 'TEMPORAL_CODEC_KEY_ID']) expect([key, raw[key]]).toEqual([key, expect.stringMatching(new RegExp(`^\\$\\{${key}:\\?[^}]+\\}$`))]);
  });

  test('the Temporal UI decodes through the api\'s codec endpoint, and the api lets the UI\'s origin call it', () => {
    const api = envOf('api');
    const endpoint = new URL(envOf('temporal-ui').TEMPORAL_CODEC_ENDPOINT);
    expect(endpoint.pathname).toBe('/api/codec');
    expect(service('api').ports?.map(String)).toContain(`${endpoint.port}:${api.PORT}`);
    const uiPort = service('temporal-ui').ports?.map(String)[0].split(':')[0];
    expect(api.TEMPORAL_UI_ORIGIN.split(',')).toContain(`http://localhost:${uiPort}`);
  });

  test('the api publishes PORT and its healthcheck calls /readyz on it', () => {
    const port = envOf('api').PORT;
    expect(service('api').ports?.map(String)).toContain(`${port}:${port}`);
    expect(asArgv(service('api').healthcheck?.test ?? []).join(' ')).toContain(`:${port}/readyz`);
  });

  test('start-up order waits for healthy dependencies', () => {
    for (const name of TEMPORAL_SERVICES) {
      expect(dependsOn(name)).toMatchObject({ temporal: 'service_healthy', mongodb: 'service_healthy' });
    }
    expect(dependsOn('mailer')).toMatchObject({ mongodb: 'service_healthy' });
    expect(dependsOn('temporal')).toMatchObject({ postgresql: 'service_healthy' });
    expect(Object.keys(dependsOn('temporal-ui'))).toContain('temporal');
    for (const name of Object.keys(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(name))) {
        expect(services).toHaveProperty([dep]);
        if (condition === 'service_healthy') expect([dep, service(dep).healthcheck?.test]).toEqual([dep, expect.anything()]);
      }
    }
  });

  test('api, worker and mailer run the one image built from this repository', () => {
    const [api, worker, mailer] = APP_SERVICES.map(service);
    expect(mailer.image).toBe(api.image);
    for (const app of [api, worker, mailer]) {
      const context = typeof app.build === 'string' ? app.build : app.build?.context;
      expect(context).toBe('.');
    }
    expect(worker.image).toBe(api.image);
  });

  test.each(Object.keys(services))('%s uses an image pinned to a tag', (name) => {
    const image = service(name).image;
    expect(image).toBeDefined();
    expect([image, isPinned(image!)]).toEqual([image, true]);
  });
});

describe('Dockerfile', () => {
  const runs = stages.flatMap((s) => s.instructions.filter((i) => i.op === 'RUN').map((i) => i.args)).join('\n');

  test('installs from the lockfile, builds, and drops dev dependencies', () => {
    expect(runs).toMatch(/\bnpm install --no-audit --no-fund\b/);
    expect(runs).toMatch(/\bnpm run build\b/);
    expect(runs).toMatch(/\bnpm prune --omit=dev\b/);
  });

  test('every base image is pinned to a tag', () => {
    for (const { from } of stages) {
      const ref = from.split(/\s+/).find((word) => !word.startsWith('--'))!;
      if (!stageNames.includes(ref)) expect([ref, isPinned(ref)]).toEqual([ref, true]);
    }
  });

  test('the final stage runs as the unprivileged node user', () => {
    const users = finalStage.instructions.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(users.at(-1)).toBe('node');
  });

  test('processes start with node directly, never through npm (its prestart hook installs tools)', () => {
    const cmd = finalStage.instructions.filter((i) => i.op === 'CMD').at(-1);
    expect(cmd).toBeDefined();
    const commands = [asArgv(cmd!.args), ...APP_SERVICES.map((name) => asArgv(service(name).command ?? []))];
    for (const argv of commands) expect(argv[0]).toBe('node');
    const executed = stages.flatMap((s) => s.instructions.filter((i) => ['RUN', 'CMD', 'ENTRYPOINT'].includes(i.op)));
    expect(executed.map((i) => i.args).join('\n')).not.toMatch(/npm (run )?start/);
  });
});

describe('entry points', () => {
  const entryPoints = [
    ...finalStage.instructions.filter((i) => i.op === 'CMD').map((i) => asArgv(i.args)[1]),
    ...APP_SERVICES.map((name) => asArgv(service(name).command ?? [])[1]),
  ];

  test.each([...new Set(entryPoints)])('%s is compiled from a source file in the build', (jsFile) => {
    const outDir = path.relative(root, buildConfig.options.outDir!);
    const rootDir = path.relative(root, buildConfig.options.rootDir ?? root);
    const source = path.join(rootDir, path.relative(outDir, jsFile)).replace(/\.js$/, '.ts');
    expect(existsSync(path.join(root, source)) ? source : `missing ${source}`).toBe(source);
    expect(buildConfig.fileNames.map((f) => path.relative(root, f))).toContain(source);
  });

  test('the files `npm run build` names exist', () => {
    const build = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.build;
    const inputs = build.split(/\s+/).filter((word) => /\.(ts|json)$/.test(word));
    expect(inputs).toEqual(expect.arrayContaining(['tsconfig.build.json']));
    for (const file of inputs) expect(existsSync(path.join(root, file)) ? file : `missing ${file}`).toBe(file);
  });

  test('.dockerignore keeps host builds out but the build inputs in', () => {
    const ignored = read('.dockerignore').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist']));
    const needed = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'api', 'worker', 'lib'];
    expect(ignored.filter((pattern) => needed.includes(pattern.replace(/^\/|\/$/g, '')))).toEqual([]);
  });
});

describe('MongoDB users', () => {
  test('the application connects as its own user, which may only find and insert on the audit trail', () => {
    for (const name of ['api', 'worker', 'mailer']) {
      const uri = new URL(envOf(name).MONGODB_URI);
      expect([name, uri.username, uri.searchParams.get('authSource')]).toEqual([name, 'oversight', 'admin']);
    }
    expect(service('mongodb').volumes).toContain('./scripts/mongo-init:/docker-entrypoint-initdb.d:ro');
    const init = read('scripts/mongo-init/oversight-users.js');
    const audit = /resource: \{ db: 'oversight_audit', collection: 'audit' \},\s*actions: \[([^\]]*)\]/.exec(init);
    expect(audit).not.toBeNull();
    const actions = audit![1].split(',').map((a) => a.trim().replace(/'/g, ''));
    expect(actions).toEqual(expect.arrayContaining(['find', 'insert']));
    for (const forbidden of ['update', 'remove', 'dropCollection', 'dropDatabase']) expect(actions).not.toContain(forbidden);
    // readWrite only on Oversight's own database, never on the audit one.
    expect(init).toMatch(/\{ role: 'readWrite', db: 'oversight' \}/);
    expect(init).not.toMatch(/readWrite', db: 'oversight_audit'/);
  });
});

describe('docs/operations.md', () => {
  test('its configuration tables give every variable the code reads a row of its own', () => {
    const doc = read('docs/operations.md');
    const start = doc.indexOf('\n## Configuration\n');
    expect(start).toBeGreaterThan(-1);
    const end = doc.indexOf('\n## ', start + 1);
    const rows = doc.slice(start, end < 0 ? undefined : end).split('\n').filter((line) => line.startsWith('| `'));
    // The variables a row is about are the ones named in its first column.
    const documented = new Set(rows.flatMap((row) => [...row.split(' | ')[0].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1])));
    // LOG_FORMAT is read by lib/logger.ts itself, before any configuration is parsed.
    const names = [...new Set([...CONFIG_VARIABLES, ...MAIL_CONFIG_VARIABLES, 'LOG_FORMAT'])];
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
  });
});
