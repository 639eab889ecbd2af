// Scenario 7: the baseline of scenario 1: the same creates and acknowledgements against one
// `npm start` (FerretDB on SQLite, the Temporal dev server, one API, worker and mailer in one process).
import path from 'node:path';
import { canConnect, freePort, spawnServer, waitUntilReady } from '../dev-servers/process';
import { DEFAULT_MONGODB_URI, LOCAL_PORTS } from '../lib/config';
import { createModels } from '../models';
import { connectDatabase } from '../models/connection';
import { createAndAcknowledge, loadRow } from './create-load';
import { CASES as SCENARIO_1_CASES } from './proxy-load';
import type { Row, Scenario } from './scenario';

const repo = path.resolve(__dirname, '..');
/** What `npm start` binds whatever it is told (scripts/start.ts): FerretDB, Temporal and its UI. */
const FIXED_PORTS = [LOCAL_PORTS.mongodb, LOCAL_PORTS.temporal, LOCAL_PORTS.temporalUi];
/** Half scenario 1's cases at its concurrency: latency at a concurrency needs no more, and the whole rehearsal must fit 20 minutes. */
const CASES = Number(process.env.REHEARSAL_BASELINE_CASES ?? Math.ceil(SCENARIO_1_CASES / 2));

export const singleInstance: Scenario = {
  id: 7,
  name: `${CASES * 2} creates+events through one \`npm start\``,
  async run({ stack, run }): Promise<Omit<Row, 'scenario' | 'seconds'>> {
    const busy = [];
    for (const port of FIXED_PORTS) if (await canConnect(port)) busy.push(port);
    if (busy.length) {
      return { ok: true, sent: 0, acknowledged: 0, stored: 0, duplicates: 0, lost: 0, figures: {}, problems: [], skipped: `port ${busy.join(', ')} in use (another \`npm start\`?)` };
    }
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OVERSIGHT_DATA_DIR: path.join(stack.dir, 'npm-start'),
      PORT: String(port),
      AUTH_LOCAL_KEY_FILE: stack.authKeyFile,
      RATE_LIMIT_PER_MINUTE: '100000',
      // Its mail goes to the rehearsal's relay, so it starts no mail catcher of its own.
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(stack.relay.port),
      LOG_LEVEL: 'info',
    };
    for (const name of ['MONGODB_URI', 'TEMPORAL_ADDRESS', 'TEMPORAL_CODEC_KEYS', 'TEMPORAL_CODEC_KEY_ID']) delete env[name];
    const start = spawnServer('npm-start', process.execPath, ['--import', 'tsx', path.join(repo, 'scripts/start.ts')], stack.log('npm-start'), env);
    try {
      const t0 = Date.now();
      await waitUntilReady(start, async () => {
        if (!start.logTail().includes('Oversight is running')) throw new Error('not running yet');
      }, 180_000, 250);
      const startSeconds = (Date.now() - t0) / 1000;
      const tag = `single-${run}`;
      const load = await createAndAcknowledge(`http://127.0.0.1:${port}`, tag, CASES);
      const db = await connectDatabase(DEFAULT_MONGODB_URI);
      try {
        const row = await loadRow(createModels(db), tag, load);
        return { ...row, figures: { 'started in s': startSeconds, ...row.figures } };
      } finally {
        await db.close();
      }
    } finally {
      await start.stop(30_000);
    }
  },
};
