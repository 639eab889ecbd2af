/**
 * `npm run bench -- cache-miss`: what a workflow cache miss costs the worker. A workflow not in
 * the worker's cache (WORKER_MAX_CACHED_WORKFLOWS) is created afresh and its whole history
 * replayed before its task is worked: this replays saved histories (tests/replay/histories) of
 * a few lengths, each BENCH_MISS_N times (300), in three rounds, and prints the worker's CPU per
 * replay, min / median / max of the rounds, beside the history's length. The server's part of a
 * miss (sending the whole history) shows in the storm bench's cache100 variant.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { quietRuntime, testDataConverter } from '../tests/helpers/env';
import { WORKFLOW_BUNDLE_OPTIONS } from '../worker/bundle-options';
import { percentile } from './lib/measure';

const N = Number(process.env.BENCH_MISS_N ?? 300);
const dir = path.join(__dirname, '../tests/replay/histories');
const CASES = [
  'complaint-a-case-opened-late',
  'complaint-on-time-path',
  'complaint-the-ombudsman-stage',
  'action-plan-two-hundred-actions',
];

async function main(): Promise<void> {
  quietRuntime();
  const files = (await readdir(dir)).filter((f) => f.endsWith('.binpb'));
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), ...WORKFLOW_BUNDLE_OPTIONS, logger: quiet });
  console.log(`cache miss: ${N} replays per round, 3 rounds, ${new Date().toISOString()}; worker CPU ms per replay, min / median / max`);
  for (const prefix of CASES) {
    const file = files.find((f) => f.startsWith(prefix));
    if (!file) continue;
    const history = temporal.api.history.v1.History.decode(await readFile(path.join(dir, file)));
    const bytes = temporal.api.history.v1.History.encode(history).finish().length;
    const rounds: number[] = [];
    for (let round = 0; round < 3; round++) {
      async function* histories() {
        for (let i = 0; i < N; i++) yield { workflowId: `miss-${i}`, history };
      }
      const c0 = process.cpuUsage();
      for await (const r of Worker.runReplayHistories({ workflowBundle: bundle, dataConverter: testDataConverter() }, histories())) {
        if (r.error) throw r.error;
      }
      const c = process.cpuUsage(c0);
      rounds.push((c.user + c.system) / 1000 / N);
    }
    rounds.sort((a, b) => a - b);
    console.log(`  ${file.slice(0, 60).padEnd(60)} ${String(history.events.length).padStart(4)} events ${String(Math.round(bytes / 1024)).padStart(4)} KB  ${rounds[0].toFixed(1)} / ${percentile(rounds, 50).toFixed(1)} / ${rounds[2].toFixed(1)} ms`);
  }
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
