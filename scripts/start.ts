/**
 * `npm start`: the whole local stack in one process. FerretDB and the Temporal dev server are
 * started here (persisted under .data/, or OVERSIGHT_DATA_DIR) unless MONGODB_URI / TEMPORAL_ADDRESS point elsewhere,
 * then the worker, the API, a mail catcher (Mailpit, or the project's own sink) and the mailer. Ctrl-C (SIGINT) or SIGTERM stops everything in reverse order.
 */
import path from 'node:path';
import { startApi } from '../api/server';
import { localCodecKeys } from '../lib/codec-keys';
import { DEFAULT_MONGODB_URI, LOCAL_PORTS, loadConfig, loadMailConfig, type ResolvedConfig } from '../lib/config';
import { startMailCatcher } from '../dev-servers/mail-catcher';
import { Dispatcher } from '../mailer/dispatcher';
import { createModels } from '../models';
import { createLogger } from '../lib/logger';
import { startFerretDb } from '../dev-servers/ferretdb';
import { startTemporalDevServer } from '../dev-servers/temporal';
import { repoRoot } from '../dev-servers/tools';
import { connectDatabase } from '../models/connection';
import { seedReferenceData } from '../models/seed';
import { startWorker } from '../worker/run';

/** Role mailboxes for a local run (reserved .example addresses): the mail catcher shows what each is sent. */
const LOCAL_MAILBOXES = {
  MAIL_QUALITY_LEAD: 'quality.lead@icb.example',
  MAIL_CASE_OFFICER: 'complaints@icb.example',
  MAIL_SAFEGUARDING_LEAD: 'safeguarding@icb.example',
  MAIL_CQRG_CHAIR: 'cqrg.chair@icb.example',
};

const root = repoRoot();
/** Everything the local stack keeps (git-ignored); OVERSIGHT_DATA_DIR puts it elsewhere. */
const data = path.resolve(process.env.OVERSIGHT_DATA_DIR ?? path.join(root, '.data'));
const logs = path.join(data, 'logs');

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, 'start');

/** What has been started so far, stopped last-first on shutdown or on a failed start. */
const started: { name: string; stop: () => Promise<void> }[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  stopping = true;
  for (const { name, stop } of started.reverse()) {
    try {
      logger.info(`stopping ${name}`);
      await stop();
    } catch (err) {
      logger.error({ err }, `stopping ${name} failed`);
      code = code || 1;
    }
  }
  started.length = 0;
  // The 'exit' hook in dev-servers/process.ts SIGKILLs any child server still alive.
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second Ctrl-C while stopping means "now": exit, and the exit hook kills the children.
    if (stopping) process.exit(130);
    logger.info(`${signal} received, shutting down`);
    void shutdown(0);
  });
}

async function main(): Promise<void> {
  let mongoUri = config.MONGODB_URI;
  if (!mongoUri) {
    logger.info(`starting FerretDB (data in ${path.join(data, 'ferretdb')})`);
    const ferretDb = await startFerretDb({
      dataDir: path.join(data, 'ferretdb'),
      port: LOCAL_PORTS.mongodb,
      logFile: path.join(logs, 'ferretdb.log'),
    });
    started.push({ name: 'FerretDB', stop: ferretDb.stop });
    mongoUri = DEFAULT_MONGODB_URI;
  }

  // Temporal payloads are encrypted (lib/payload-codec.ts): with no keys configured, a local key
  // made once in .data/ (git-ignored), as a dev secret is.
  const codecKeys = config.TEMPORAL_CODEC_KEYS ? {} : localCodecKeys(path.join(data, 'temporal-codec-key'));
  // The UI in the browser decodes payloads through the API's codec endpoint (api/codec/).
  const codecEndpoint = config.PORT ? `http://localhost:${config.PORT}/api/codec` : undefined;

  let temporalAddress = config.TEMPORAL_ADDRESS;
  let temporalUi: string | undefined;
  if (!temporalAddress) {
    logger.info(`starting the Temporal dev server (state in ${path.join(data, 'temporal', 'temporal.db')})`);
    const temporal = await startTemporalDevServer({
      // A file, not memory: cases' running workflows and timers must survive a restart.
      dbFile: path.join(data, 'temporal', 'temporal.db'),
      port: LOCAL_PORTS.temporal,
      uiPort: LOCAL_PORTS.temporalUi,
      uiCodecEndpoint: codecEndpoint,
      namespace: config.TEMPORAL_NAMESPACE,
      logFile: path.join(logs, 'temporal.log'),
    });
    started.push({ name: 'Temporal dev server', stop: temporal.stop });
    temporalAddress = temporal.address;
    temporalUi = temporal.uiUrl;
  }
  const uiOrigin = temporalUi && `${temporalUi},${temporalUi.replace('//localhost:', '//127.0.0.1:')}`;
  const resolved: ResolvedConfig = {
    ...config,
    ...codecKeys,
    TEMPORAL_UI_ORIGIN: config.TEMPORAL_UI_ORIGIN ?? uiOrigin,
    MONGODB_URI: mongoUri,
    TEMPORAL_ADDRESS: temporalAddress,
  };

  const db = await connectDatabase(resolved.MONGODB_URI);
  try {
    const { providersAdded } = await seedReferenceData(db);
    logger.info({ providersAdded }, 'reference data seeded');
  } finally {
    await db.close();
  }

  const worker = await startWorker(resolved);
  started.push({ name: 'worker', stop: () => worker.shutdown() });
  // A worker that dies on its own leaves cases without timers: stop the stack rather than limp on.
  worker.done.catch((err: unknown) => {
    if (stopping) return;
    logger.error({ err }, 'worker failed');
    void shutdown(1);
  });
  const api = await startApi(resolved);
  started.push({ name: 'API', stop: () => api.close() });

  // The mailer sends the outbox to a local mail catcher unless SMTP_HOST names a relay.
  let mailUi: string | undefined;
  const smtpGiven = process.env.SMTP_HOST !== undefined;
  if (!smtpGiven) {
    const catcher = await startMailCatcher({ smtpPort: LOCAL_PORTS.smtp, uiPort: LOCAL_PORTS.mailUi, dataDir: path.join(data, 'mailpit'), logFile: path.join(logs, 'mailpit.log') });
    started.push({ name: 'mail catcher', stop: catcher.stop });
    mailUi = `${catcher.url}${catcher.kind === 'sink' ? ' (the project’s own sink: Mailpit did not build)' : ''}`;
  }
  const mailConfig = loadMailConfig({ ...LOCAL_MAILBOXES, MAIL_BASE_URL: api.url, ...process.env, ...(!smtpGiven && { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(LOCAL_PORTS.smtp) }) });
  const mailDb = await connectDatabase(resolved.MONGODB_URI);
  const mailer = new Dispatcher({ models: createModels(mailDb), config: mailConfig, logger: createLogger(config.LOG_LEVEL, 'mailer') });
  const mailing = mailer.run();
  started.push({
    name: 'mailer',
    stop: async () => {
      mailer.stop();
      await mailing;
      mailer.close();
      await mailDb.close();
    },
  });

  const lines = [
    `Pages        ${api.url}/   (sign in by picking a role: the local sign-in)`,
    `API          ${api.url}`,
    `OpenAPI      ${api.url}/api/openapi.json`,
    `API token    npm run token -- --role quality_team --name "Your Name"   (then Authorization: Bearer <token>)`,
    ...(temporalUi ? [`Temporal UI  ${temporalUi} (payloads are encrypted; decoded through ${api.url}/api/codec for signed-in staff)`] : []),
    `Temporal     ${resolved.TEMPORAL_ADDRESS} (namespace ${resolved.TEMPORAL_NAMESPACE})`,
    `MongoDB      ${resolved.MONGODB_URI}`,
    `Mail         ${mailUi ?? `sent through ${mailConfig.SMTP_HOST}:${mailConfig.SMTP_PORT}`} (nothing goes out before 09:00 or after 17:00, or on a weekend or bank holiday)`,
    `Server logs  ${path.relative(process.cwd(), logs) || logs}`,
  ];
  // Plain text, not a log line: this is the one thing a person starting the stack reads.
  process.stdout.write(`\nOversight is running (Ctrl-C to stop)\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`);
}

main().catch(async (err: unknown) => {
  if (stopping) return; // a signal arrived mid-start; shutdown() is already under way
  logger.error({ err }, 'startup failed');
  process.stderr.write(`\nOversight could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  await shutdown(1);
});
