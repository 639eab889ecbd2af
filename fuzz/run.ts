/**
 * `npm run fuzz`: Schemathesis (PyPI, installed into .tools/fuzz-venv on first use) against the
 * API's own OpenAPI document, on a stack of real servers started here (FerretDB, the Temporal dev
 * server, the worker and the API, as the bench starts them), with a valid token. It generates
 * requests for every route and checks that none answers 5xx and that every answer conforms to the
 * document (status code, content type, body schema). Exit code 0 only when all hold.
 * FUZZ_EXAMPLES sets the examples per route (default 25: some 5,000 requests).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cleanups, startBenchStack } from '../bench/lib/stack';
import { loadConfig } from '../lib/config';

const SCHEMATHESIS_VERSION = '4.32.5';
const root = path.join(__dirname, '..');
const venv = path.join(root, '.tools', 'fuzz-venv');
const st = path.join(venv, 'bin', 'st');
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance'];

function installSchemathesis(): void {
  const installed = existsSync(st) && spawnSync(st, ['--version'], { encoding: 'utf8' }).stdout.includes(SCHEMATHESIS_VERSION);
  if (installed) return;
  console.log(`fuzz: installing schemathesis ${SCHEMATHESIS_VERSION} into ${path.relative(root, venv)}`);
  const steps: [string, string[]][] = [
    ['python3', ['-m', 'venv', venv]],
    [path.join(venv, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`]],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (python3 with venv and pip is needed)`);
  }
}

interface Counts {
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: number;
}

/** Requests and their statuses, from Schemathesis's ndjson event log. */
function countsFrom(file: string): Counts {
  const counts: Counts = { requests: 0, byStatus: {}, serverErrors: 0 };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"status_code"')) continue;
    for (const m of line.matchAll(/"status_code":\s*(\d{3})/g)) {
      const status = m[1];
      counts.requests += 1;
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
      if (status.startsWith('5')) counts.serverErrors += 1;
    }
  }
  return counts;
}

async function main(): Promise<number> {
  installSchemathesis();
  const cleanups = new Cleanups();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oversight-fuzz-'));
  try {
    const env = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'fatal' });
    const stack = await startBenchStack(env, { run: `fuzz-${Date.now()}`, temporalStore: 'memory', api: 'inline' }, cleanups);
    const examples = process.env.FUZZ_EXAMPLES ?? '25';
    const events = path.join(dir, 'events.ndjson');
    const args = [
      'run',
      `${stack.apiUrl}/api/openapi.json`,
      '--header',
      `Authorization: ${stack.authorization}`,
      '--checks',
      CHECKS.join(','),
      '--max-examples',
      examples,
      '--seed',
      process.env.FUZZ_SEED ?? '20261123',
      '--report',
      'ndjson',
      '--report-ndjson-path',
      events,
      '--suppress-health-check',
      'all',
    ];
    console.log(`fuzz: schemathesis ${SCHEMATHESIS_VERSION}, ${examples} examples per operation, checks ${CHECKS.join(', ')}`);
    const code = await stack.withWorker(
      () =>
        new Promise<number>((resolve) => {
          const child = spawn(st, args, { stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } });
          child.once('close', (c) => resolve(c ?? 1));
        }),
    );
    const counts = countsFrom(events);
    console.log(`\nfuzz: ${counts.requests} requests; by status ${JSON.stringify(counts.byStatus)}; 5xx: ${counts.serverErrors}`);
    console.log(code === 0 && counts.serverErrors === 0 ? 'fuzz: passed' : 'fuzz: FAILED (see above)');
    return code === 0 && counts.serverErrors === 0 ? 0 : 1;
  } finally {
    await cleanups.runAll();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
