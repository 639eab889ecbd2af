/**
 * `npm run fuzz`: Schemathesis (PyPI, installed into .tools/fuzz-venv on first use) against the
 * API's own OpenAPI document, on a stack of real servers started here (FerretDB, the Temporal dev
 * server, the worker and the API, as the bench starts them), with a valid token, and a real open
 * case of each process for the routes about one case. It generates
 * requests for every route and checks that none answers 5xx and that every answer conforms to the
 * document (status code, content type, body schema). Then it probes access as an attacker spells
 * requests (fuzz/access.ts): every route in 19 spellings, HEAD and OPTIONS, with no token, a
 * refused role and an allowed one; and a visit, a review and a plan each probed by someone held to
 * their own records who is not on it. Exit code 0 only when all hold.
 * FUZZ_EXAMPLES sets the examples per route (default 25: some 5,000 requests).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cleanups, startBenchStack } from '../bench/lib/stack';
import { loadConfig } from '../lib/config';
import { ACTION_PLAN_EVENTS } from '../api/action-plans/events';
import type { Role } from '../api/auth/roles';
import { REVIEW_EVENTS } from '../api/reviews/events';
import { VISIT_EVENTS } from '../api/visits/events';
import { localBearer } from '../dev-servers/auth';
import { addCalendarDays, londonDate } from '../lib/calendar';
import { probeRecord, routesOf, walkRoutes } from './access';

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
    const config = path.join(dir, 'schemathesis.toml');
    writeFileSync(config, schemathesisConfig(await openCases(stack.apiUrl, stack.authorization)));
    const args = [
      '--config-file',
      config,
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
    const access = await stack.withWorker(() => probeAccess(stack.apiUrl, stack.config.AUTH_LOCAL_KEY_FILE, stack.authorization));
    const passed = code === 0 && counts.serverErrors === 0 && access;
    console.log(passed ? 'fuzz: passed' : 'fuzz: FAILED (see above)');
    return passed ? 0 : 1;
  } finally {
    await cleanups.runAll();
  }
}

/** One open case of each process, through the API (the visit's panel, the review's owner and the plan's chair named for the probes). */
async function openCases(apiUrl: string, authorization: string): Promise<Record<'complaints' | 'visits' | 'reviews' | 'action-plans', string>> {
  const post = async (path: string, body: object) => {
    const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await res.json()) as { reference?: string };
    if (!answer.reference) throw new Error(`fuzz: could not open a case at ${path}: ${res.status} ${JSON.stringify(answer)}`);
    return answer.reference;
  };
  const today = londonDate(Date.now());
  return {
    complaints: await post('/api/complaints', { providerCode: 'RJ1', receivedAt: today, source: 'complainant', summary: 'Fuzzed', consentToShare: true, complainant: { name: 'Alex Example' } }),
    visits: await post('/api/visits', {
      providerCode: 'RJ2', service: 'Ward 7', reasons: ['complaints'], announced: false, visitDate: addCalendarDays(today, 28),
      panel: [{ name: 'Pat Panel', role: 'lay_member', staffId: 'fuzz-panel-in' }, { name: 'Jo Rep', role: 'patient_representative' }],
    }),
    reviews: await post('/api/reviews', {
      serviceName: 'Diabetes clinic', whatChanged: 'Moved to GP hubs', goLiveOn: today, owner: { id: 'fuzz-owner', name: 'Jo Owner', lineManager: { name: 'Sam Lead' } },
      assessments: { equalityImpact: { completed: true }, qualityImpact: { completed: true }, engagementLog: { completed: true } }, patientEngagement: 'Listening events',
    }),
    'action-plans': await post('/api/action-plans', {
      providerCode: 'RV5', theme: 'accessible_information_standard', title: 'AIS', source: { kind: 'cqrg_meeting', meetingOn: today }, chair: { id: 'fuzz-chair', name: 'Chris Chair' },
      actions: [{ description: 'Flag needs', owner: { id: 'jo', name: 'Jo' }, dueOn: addCalendarDays(today, 60) }],
    }),
  };
}

/**
 * Schemathesis's configuration: each process's routes about one case get the reference of a real
 * open case of it, so their bodies reach the case's workflow rather than a 404.
 */
function schemathesisConfig(cases: Record<string, string>): string {
  return Object.entries(cases)
    .map(([base, reference]) => `[[operations]]\ninclude-path-regex = "^/api/${base}/\\\\{reference\\\\}"\nparameters = { "path.reference" = "${reference}" }\n`)
    .join('\n');
}

/** The access probes (fuzz/access.ts) against the running API; true when nothing got past a check. */
async function probeAccess(apiUrl: string, keyFile: string, authorization: string): Promise<boolean> {
  const url = new URL(apiUrl);
  const origin = { host: url.hostname, port: Number(url.port) };
  const token = (roles: Role[], id: string) => localBearer(keyFile, roles, { sub: id, name: id }).then((b) => b.replace(/^Bearer /, ''));
  const doc = (await (await fetch(`${apiUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const routes = walkRoutes(origin, routesOf(doc), (role) => token([role], `fuzz-${role}`));
  const { visits: visit, reviews: review, 'action-plans': plan } = await openCases(apiUrl, authorization);
  const events = (base: string, list: { path: string }[]) => list.map((e) => ({ method: 'POST', path: `${base}/{reference}/${e.path}` }));
  const results = [
    ['every route, every spelling, every caller', await routes] as const,
    ['a visit, by a panel member not on it (404)', await probeRecord(origin, [{ method: 'GET', path: '/api/visits/{reference}' }, ...events('/api/visits', VISIT_EVENTS)], await token(['visit_panel'], 'fuzz-panel-out'), visit, 404)] as const,
    ['a review, by a commissioner who does not own it (403)', await probeRecord(origin, events('/api/reviews', REVIEW_EVENTS), await token(['commissioner'], 'fuzz-other'), review, 403)] as const,
    ['a plan, by a chair who does not chair it (403)', await probeRecord(origin, events('/api/action-plans', ACTION_PLAN_EVENTS), await token(['cqrg_chair'], 'fuzz-other-chair'), plan, 403)] as const,
  ];
  for (const [what, { asked, wrong }] of results) {
    console.log(`fuzz: access, ${what}: ${asked} requests, ${wrong.length} got past a check`);
    for (const w of wrong.slice(0, 20)) console.log(`  ${w}`);
  }
  return results.every(([, r]) => r.wrong.length === 0);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
