import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { ResolvedConfig } from '../../lib/config';
import { spawnServer, type ChildServer } from '../../dev-servers/process';
import { serverEnv } from './stack';

const repo = path.resolve(__dirname, '../..');

/**
 * The code at a git commit, as a tree of its own (git archive, this checkout's node_modules
 * linked in) with its workflow bundle built where its worker looks for one, so a worker started
 * from it spends no time bundling: the way a benchmark runs the code of before beside today's.
 */
export async function codeAt(ref: string, dir: string, edit?: (dir: string) => void): Promise<{ ref: string; commit: string; dir: string }> {
  const commit = execFileSync('git', ['-C', repo, 'rev-parse', '--short', ref], { encoding: 'utf8' }).trim();
  mkdirSync(dir, { recursive: true });
  execFileSync('bash', ['-c', `git -C "${repo}" archive --format=tar "${commit}" | tar -x -C "${dir}"`]);
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  edit?.(dir); // a change tried only in this copy (the rehearsal's upgraded worker), before it is bundled
  // The tree's own bundle options, as its production bundle has them (before worker/bundle-options.ts: its converters).
  const options = existsSync(path.join(dir, 'worker/bundle-options.ts'))
    ? ((await import(path.join(dir, 'worker/bundle-options'))) as { WORKFLOW_BUNDLE_OPTIONS: object }).WORKFLOW_BUNDLE_OPTIONS
    : ((await import(path.join(dir, 'lib/payload-codec'))) as { WORKFLOW_CONVERTERS: object }).WORKFLOW_CONVERTERS;
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(dir, 'workflows'), ...options, logger: quiet });
  writeFileSync(path.join(dir, 'workflow-bundle.js'), code); // worker/run.ts workflowSource() looks here
  return { ref, commit, dir };
}

/** `npm run worker` of a tree, in a process of its own, with extra environment (WORKER_ROLE …); resolves once it polls. */
export async function startWorkerProcess(tree: string, config: ResolvedConfig, logFile: string, extra: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ChildServer> {
  const env = {
    ...serverEnv(config),
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    ...extra,
  };
  const worker = spawnServer(`worker ${extra.WORKER_ROLE ?? ''}`.trim(), process.execPath, [...nodeArgs, '--import', 'tsx', path.join(tree, 'worker/main.ts')], logFile, env);
  const deadline = Date.now() + 120_000;
  while (!worker.logTail().includes('worker running')) {
    if (worker.exitStatus() !== undefined) throw new Error(`worker ${worker.exitStatus()}:\n${worker.logTail()}`);
    if (Date.now() > deadline) throw new Error(`worker not running after 120 s:\n${worker.logTail()}`);
    await delay(100);
  }
  return worker;
}

/** Resident and peak resident memory of a process, MiB (/proc/<pid>/status). */
export function memoryMiB(pid: number | undefined): { rss: number; peak: number } {
  if (pid === undefined) return { rss: NaN, peak: NaN };
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };
